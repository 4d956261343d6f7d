#!/usr/bin/env node
// Keeps the web app off the server: web/ may import only its own files, contract/ and packages;
// contract/ may import only its own files (it runs in the browser and in Node, with no runtime
// dependency). Fails, naming each offending import, otherwise.
//
//   node scripts/check-contract.mjs [--root DIR]   (DIR defaults to the current directory)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SOURCE = /\.(ts|js|mjs|svelte)$/;
// SvelteKit's own modules: provided by the framework, not files of ours.
const KIT_MODULES = /^\$(app|env|service-worker)(\/|$)/;

/** Every module specifier a source file names: static and dynamic imports, re-exports. */
function specifiersOf(text) {
  const code = text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n');
  const found = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]);
  return found;
}

function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);

/** The problems of one import, or null when allowed. */
function judge(root, file, spec) {
  const contract = path.join(root, 'contract');
  const web = path.join(root, 'web', 'src');
  const fromContract = inside(file, contract);
  if (spec.startsWith('node:')) return 'imports a Node module';
  let target;
  if (spec.startsWith('.')) target = path.resolve(path.dirname(file), spec);
  else if (spec === '$lib' || spec.startsWith('$lib/')) target = path.join(web, 'lib', spec.slice('$lib'.length));
  else if (fromContract) return 'imports a package (contract/ has no runtime dependency)';
  else if (KIT_MODULES.test(spec)) return null;
  else if (spec.startsWith('$') || spec.startsWith('/')) return 'imports through an unknown alias or absolute path';
  else return null;
  const allowed = fromContract ? [contract] : [web, contract];
  if (allowed.some((dir) => inside(target, dir))) return null;
  return `reaches ${path.relative(root, target) || '.'} (allowed: ${allowed.map((d) => `${path.relative(root, d)}/`).join(', ')})`;
}

function checkContract(root) {
  const problems = [];
  for (const dir of ['web/src', 'contract']) {
    for (const file of filesUnder(path.join(root, dir))) {
      for (const spec of specifiersOf(readFileSync(file, 'utf8'))) {
        const problem = judge(root, file, spec);
        if (problem !== null) problems.push(`${path.relative(root, file)}: '${spec}' ${problem}`);
      }
    }
  }
  return problems;
}

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = path.resolve(rootAt >= 0 ? args[rootAt + 1] : '.');
const problems = checkContract(root);
if (problems.length > 0) {
  console.error(`check:contract: ${problems.length} import(s) cross the contract boundary:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('check:contract: web/ imports only web/ and contract/; contract/ imports only itself');

// The contract check (scripts/check-contract.mjs): it passes on this repository, and it fails,
// naming the file and the import, on each way web/ or contract/ can reach past its boundary:
// a relative path into server/, the `$lib` alias climbing out, a Node module, a package in contract/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tokens.js';

const SCRIPT = path.resolve('scripts/check-contract.mjs');
const dirs: string[] = [];

function check(root?: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, root === undefined ? [SCRIPT] : [SCRIPT, '--root', root], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** A tiny tree laid out like the repository's, with the files given. */
function tree(files: Record<string, string>): string {
  const root = tempDir('watchfloor-contract-');
  dirs.push(root);
  const base: Record<string, string> = {
    'contract/domain.ts': "export const SECTIONS = ['queues'] as const;\n",
    'contract/metrics.ts': "import { SECTIONS } from './domain.js';\nexport const FIRST = SECTIONS[0];\n",
    'server/app.ts': 'export const app = 1;\n',
    'web/src/lib/format.ts': "import { FIRST } from '../../../contract/metrics.js';\nimport * as d3 from 'd3';\nexport const f = [FIRST, d3];\n",
    'web/src/routes/+page.svelte': "<script lang=\"ts\">\n  import { f } from '$lib/format';\n  import { page } from '$app/state';\n</script>\n",
  };
  for (const [file, text] of Object.entries({ ...base, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the contract check', () => {
  it('passes on this repository', () => {
    const { status, output } = check();
    expect(output).toContain('check:contract:');
    expect(status).toBe(0);
  });

  it('passes on a tree that keeps to its boundaries', () => {
    expect(check(tree({})).status).toBe(0);
  });

  it.each([
    [
      'a web file importing the server by a relative path',
      'web/src/lib/bad.ts',
      "import { app } from '../../../server/app.js';\n",
      "web/src/lib/bad.ts: '../../../server/app.js' reaches server/app.js",
    ],
    [
      'a component importing a server type',
      'web/src/lib/Bad.svelte',
      '<script lang="ts">\n  import type { App } from \'../../../server/app.js\';\n</script>\n',
      "'../../../server/app.js' reaches server/app.js",
    ],
    ['the $lib alias climbing out of web/src', 'web/src/lib/bad.ts', "export { app } from '$lib/../../../server/app.js';\n", 'reaches server/app.js'],
    ['a dynamic import of the server', 'web/src/lib/bad.ts', "export const load = () => import('../../../server/app.js');\n", 'reaches server/app.js'],
    ['a web file importing a Node module', 'web/src/lib/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n", 'imports a Node module'],
    [
      'the contract importing the server',
      'contract/bad.ts',
      "import { app } from '../server/app.js';\nexport const x = app;\n",
      "contract/bad.ts: '../server/app.js' reaches server/app.js",
    ],
    ['the contract importing a package', 'contract/bad.ts', "import * as d3 from 'd3';\nexport const x = d3;\n", 'contract/ has no runtime dependency'],
  ])('fails on %s', (_name, file, text, expected) => {
    const { status, output } = check(tree({ [file]: text }));
    expect(status).toBe(1);
    expect(output).toContain(expected);
  });
});

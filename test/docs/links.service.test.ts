// The repository stands alone: every link in README.md and docs/*.md leads to a file of the
// repository (and a `#anchor` to a heading of it), and no text points to the specification folder
// that lives beside the repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Markdown without fenced code blocks and inline code spans, line numbers kept. */
function proseOf(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '');
  });
}

/** Every inline link and image target: `[text](target)` and `![alt](target "title")`. */
function linksOf(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  proseOf(markdown).forEach((line, index) => {
    for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ file, line: index + 1, target: match[1]! });
    }
  });
  return links;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers, with GitHub's `-1`, `-2` suffixes for repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseOfHeadings(markdown)) {
    const base = slugOf(line);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function proseOfHeadings(markdown: string): string[] {
  let fenced = false;
  const headings: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (match) headings.push(match[1]!);
    }
  }
  return headings;
}

/** What is wrong with one link, or null: a missing file, a path out of the repository, an unknown anchor. */
function problemOf(link: Link, root: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return /^https?:/i.test(link.target) ? null : `unexpected scheme in ${link.target}`;
  const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const from = path.join(root, link.file);
  const target = rawPath === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(rawPath));
  const where = `${link.file}:${link.line} → ${link.target}`;
  if (path.relative(root, target).startsWith('..')) return `${where}: points outside the repository`;
  if (!fs.existsSync(target)) return `${where}: no such file`;
  if (anchor !== undefined && anchor !== '') {
    if (!target.endsWith('.md')) return `${where}: an anchor into a file that is not Markdown`;
    if (!anchorsOf(fs.readFileSync(target, 'utf8')).has(anchor)) return `${where}: no heading with that anchor`;
  }
  return null;
}

function documentationFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

describe('the link checker itself', () => {
  it('makes GitHub anchors from headings', () => {
    expect(slugOf('Scaling out (distributed mode)')).toBe('scaling-out-distributed-mode');
    expect(slugOf('`POST /api/v1/events`')).toBe('post-apiv1events');
    expect(slugOf('Wall incident mode')).toBe('wall-incident-mode');
    expect([...anchorsOf('# Limits\n## Limits\n```\n# not a heading\n```\n')]).toEqual(['limits', 'limits-1']);
  });

  it('finds links outside code, and reports missing files, anchors and escapes', () => {
    const markdown = 'See [a](docs/api.md#nowhere), ![b](docs/missing.png), [c](../outside.md).\n`[d](ignored.md)`\n```\n[e](ignored.md)\n```\n';
    const links = linksOf('README.md', markdown);
    expect(links.map((l) => l.target)).toEqual(['docs/api.md#nowhere', 'docs/missing.png', '../outside.md']);
    const problems = links.map((l) => problemOf(l, ROOT));
    expect(problems[0]).toMatch(/no heading with that anchor/);
    expect(problems[1]).toMatch(/no such file/);
    expect(problems[2]).toMatch(/points outside the repository/);
  });
});

describe('the documentation', () => {
  it('has README.md and the reference pages', () => {
    const files = documentationFiles();
    for (const name of ['contract', 'api', 'connectors', 'operations', 'performance', 'screens', 'development', 'security-and-durability']) {
      expect(files).toContain(`docs/${name}.md`);
    }
  });

  it('links only to files of the repository, and to headings that exist', () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of documentationFiles()) {
      for (const link of linksOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        count++;
        const problem = problemOf(link, ROOT);
        if (problem !== null) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(50);
  });

  it('cites no specification outside the repository', () => {
    const pattern = /\bSPEC(\.md| \d)|research\//;
    const offenders = documentationFiles().filter((file) => pattern.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps the first screen of the README short, with the two commands', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    expect(readme).toContain('](docs/wall-1080p.png)');
  });
});

describe('the repository', () => {
  it('mentions the folder beside it nowhere', () => {
    // Built from parts, so that this file does not mention it either.
    const outside = ['..', 'shared'].join('/');
    let found = '';
    try {
      found = execFileSync('git', ['grep', '--untracked', '-n', '-F', outside, '--', '.', ':!node_modules'], { cwd: ROOT, encoding: 'utf8' });
    } catch (error) {
      // git grep exits 1 when nothing matches.
      if ((error as { status?: number }).status !== 1) throw error;
    }
    expect(found).toBe('');
  });

  it('cites the contract in code comments by its own anchors, never an outside specification', () => {
    // Built from parts for the same reason: this file must not match itself.
    const citation = ['SPEC', '[0-9]'].join(' ');
    let found = '';
    try {
      found = execFileSync(
        'git',
        ['grep', '--untracked', '-n', '-E', `\\b${citation}`, '--', 'server', 'web', 'contract', 'scripts', 'test', 'dashboards', 'deploy'],
        { cwd: ROOT, encoding: 'utf8' },
      );
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error;
    }
    expect(found).toBe('');
  });

  it('points code comments only at headings of docs/contract.md that exist', () => {
    const headings = anchorsOf(fs.readFileSync(path.join(ROOT, 'docs/contract.md'), 'utf8'));
    const listed = execFileSync(
      'git',
      ['grep', '--untracked', '-h', '-o', '-E', 'docs/contract\\.md#[a-z0-9-]+(, #[a-z0-9-]+)*', '--', 'server', 'web', 'contract', 'scripts', 'test'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const anchors = new Set([...listed.matchAll(/#([a-z0-9-]+)/g)].map((m) => m[1]!));
    expect(anchors.size).toBeGreaterThan(10);
    expect([...anchors].filter((a) => !headings.has(a))).toEqual([]);
  });
});

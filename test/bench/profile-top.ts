// Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time,
// and the most total (inclusive) time, each as a share of the non-idle samples.
// Usage: tsx test/bench/profile-top.ts <file.cpuprofile> [count]
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface TopEntry {
  name: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

function label(node: ProfileNode): { name: string; where: string } {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : url.replace(/^file:\/\//, '');
  const short = file.includes('/node_modules/')
    ? file.slice(file.lastIndexOf('/node_modules/') + '/node_modules/'.length)
    : file.startsWith('node:')
      ? file
      : path.relative(process.cwd(), file);
  return { name: functionName === '' ? '(anonymous)' : functionName, where: file === '' ? '' : `${short}:${lineNumber + 1}` };
}

export function topFunctions(file: string): { self: TopEntry[]; total: TopEntry[]; busyMs: number; idleMs: number } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  let idleUs = 0;
  let busyUs = 0;
  const selfByLabel = new Map<string, number>();
  const totalByLabel = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      idleUs += name === '(idle)' ? us : 0;
      if (name === '(idle)') continue;
    }
    busyUs += us;
    const { name: n, where } = label(node);
    const key = `${n}\t${where}`;
    selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us);
    // Inclusive time: each distinct label on the stack gets the sample once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!);
      const k = `${l.name}\t${l.where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      totalByLabel.set(k, (totalByLabel.get(k) ?? 0) + us);
    }
  }
  const entries = (map: Map<string, number>, other: Map<string, number>, selfFirst: boolean): TopEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, us]) => {
        const [name, where] = key.split('\t') as [string, string];
        const o = other.get(key) ?? 0;
        const selfPct = (100 * (selfFirst ? us : o)) / busyUs;
        const totalPct = (100 * (selfFirst ? o : us)) / busyUs;
        return { name, where, selfPct, totalPct };
      });
  return {
    self: entries(selfByLabel, totalByLabel, true),
    total: entries(totalByLabel, selfByLabel, false).filter((e) => e.name !== '(root)'),
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
  };
}

export function formatTop(entries: readonly TopEntry[], count: number): string {
  const lines = ['| self % | total % | function | where |', '|---:|---:|---|---|'];
  for (const e of entries.slice(0, count)) lines.push(`| ${e.selfPct.toFixed(1)} | ${e.totalPct.toFixed(1)} | ${e.name} | ${e.where} |`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && path.basename(process.argv[1]).startsWith('profile-top')) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: tsx test/bench/profile-top.ts <file.cpuprofile> [count]\n');
    process.exit(2);
  }
  const count = Number(process.argv[3] ?? '25');
  const top = topFunctions(file);
  process.stdout.write(
    `busy ${top.busyMs.toFixed(0)} ms, idle ${top.idleMs.toFixed(0)} ms\n\nBy self time:\n${formatTop(top.self, count)}\n\nBy total time:\n${formatTop(top.total, count)}\n`,
  );
}

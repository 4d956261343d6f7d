// A strict reader of Prometheus's text exposition format (0.0.4), written from the format's rules
// rather than taken from prom-client, so that it checks what prom-client writes: `# HELP` and
// `# TYPE` once per family and before its samples, metric and label names of the allowed
// characters, label values quoted with their escapes, numbers or NaN/±Inf as values.
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` belong to it. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  if (families.has(sample)) return families.get(sample);
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family !== undefined && (family.type === 'histogram' || family.type === 'summary') ? family : undefined;
}

function parseValue(raw: string, line: number): number {
  if (raw === 'NaN') return NaN;
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`line ${line}: "${raw}" is not a sample value`);
  return Number(raw);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq === -1) throw new Error(`line ${line}: label without "="`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`line ${line}: bad label name "${name}"`);
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name}'s value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`line ${line}: bad escape \\${next} in label ${name}`);
      } else if (text[j] === '\n') throw new Error(`line ${line}: raw newline in a label value`);
      else value += text[j];
    }
    if (j >= text.length) throw new Error(`line ${line}: label ${name}'s value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`line ${line}: expected "," after label ${name}`);
  }
  return labels;
}

/** Parses a scrape; throws, naming the line, on anything the format does not allow. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const declared = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (match === null) return; // a plain comment
      const [, keyword, name, rest] = match as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name "${name}"`);
      if (declared.has(`${keyword} ${name}`)) throw new Error(`line ${line}: a second # ${keyword} for ${name}`);
      declared.add(`${keyword} ${name}`);
      let family = families.get(name);
      if (family === undefined) {
        family = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      } else if (family.samples.length > 0) throw new Error(`line ${line}: # ${keyword} ${name} after its samples`);
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type "${rest}"`);
        family.type = rest as MetricType;
      } else family.help = rest;
      return;
    }
    const match = /^([^{\s]+)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(raw);
    if (match === null) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name, labelText, value] = match as unknown as [string, string, string | undefined, string];
    if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name "${name}"`);
    const family = familyOf(name, families);
    if (family === undefined) throw new Error(`line ${line}: sample ${name} has no # TYPE before it`);
    family.samples.push({ name, labels: labelText === undefined ? {} : parseLabels(labelText, line), value: parseValue(value, line) });
  });
  return families;
}

/** The value of one series (exact label set), or undefined when the scrape has none. */
export function sampleOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(name, families);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return family?.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}

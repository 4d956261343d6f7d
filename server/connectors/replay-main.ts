// `npm run replay [-- [--speed=N|max] [--url=http://host:port] [--run=id] [file-or-dir …]]`:
// plays recorded vendor deliveries (default: the demo recording in
// test/server/connectors/fixtures/replay/) into a running Watchfloor, signed with the secrets of this
// environment (ZENDESK_WEBHOOK_SECRET …, the same variables the server reads).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { CONNECTORS } from './registry.js';
import { loadReplay, replay, type ReplaySummary } from './replay.js';
import type { Vendor } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// From server/connectors (tsx) or dist/server/connectors (built): the repository root is above.
const root = path.resolve(here, here.split(path.sep).includes('dist') ? '../../..' : '../..');
const DEFAULT_RECORDING = path.join(root, 'test/server/connectors/fixtures/replay');

function argument(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const speedArg = argument(args, 'speed') ?? '1';
  const speed = speedArg === 'max' ? 'max' : Number(speedArg);
  if (speed !== 'max' && !(speed > 0)) throw new Error(`--speed must be a positive number or "max", got "${speedArg}"`);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = (argument(args, 'url') ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(/\/$/, '');
  const run = argument(args, 'run') ?? randomBytes(4).toString('hex');
  const paths = args.filter((arg) => !arg.startsWith('--'));
  const deliveries = loadReplay(paths.length > 0 ? paths : [DEFAULT_RECORDING]);
  const secrets: Record<Vendor, string | null> = {
    zendesk: config.zendeskWebhookSecret,
    jira: config.jiraWebhookSecret,
    freshdesk: config.freshdeskWebhookSecret,
  };
  const vendors = [...new Set(deliveries.map((d) => d.vendor))];
  const missing = vendors.filter((vendor) => secrets[vendor] === null);
  if (missing.length === vendors.length) {
    throw new Error(`no secret for ${missing.join(', ')}: set ${missing.map((v) => `${v.toUpperCase()}_WEBHOOK_SECRET`).join(', ')} here and on the server`);
  }
  for (const vendor of missing) process.stderr.write(`replay: ${vendor} deliveries skipped (no ${vendor.toUpperCase()}_WEBHOOK_SECRET)\n`);
  const span = deliveries.length === 0 ? 0 : deliveries.at(-1)!.at - deliveries[0]!.at;
  process.stdout.write(
    `replay: ${deliveries.length} deliveries (${vendors.join(', ')}) over ${Math.round(span / 60_000)} recorded minutes at ${speedArg}× to ${base}, run ${run}\n`,
  );

  let lastReport = Date.now();
  const report = (summary: ReplaySummary, final = false): void => {
    if (!final && Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    process.stdout.write(
      `replay: ${summary.sent} sent, ${summary.accepted} applied, ${summary.duplicates} duplicates, ${summary.stale} stale, ${summary.rejected} rejected, ${summary.failed} failed, ${summary.skipped} skipped\n`,
    );
  };
  const summary = await replay({
    deliveries,
    definitions: CONNECTORS,
    secretFor: (vendor) => secrets[vendor],
    speed,
    run,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onProgress: (s) => report(s),
    send: async (vendor, headers, body) => {
      const response = await fetch(`${base}/api/v1/connectors/${vendor}`, { method: 'POST', headers, body: new Uint8Array(body) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: reported as text.
      }
      return { status: response.status, body: parsed };
    },
  });
  report(summary, true);
  for (const error of summary.errors) process.stderr.write(`replay: ${error}\n`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`replay: ${error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message}\n`);
  process.exit(2);
});

// Reads the vendor payload fixtures of test/server/connectors/fixtures, and builds mapping contexts from
// the built-in mapping (the real defaults, with a test's additions) for the pure mapping tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMapping, normaliseKey } from '../../../server/connectors/mapping-config.js';
import type { MapContext, Vendor, VendorMapping } from '../../../server/connectors/types.js';
import type { AgentPayload, TicketPayload } from '../../../contract/domain.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The fixture's bytes exactly as stored: signatures are over these. */
export function fixtureBytes(vendor: Vendor, name: string): Buffer {
  return fs.readFileSync(path.join(here, 'fixtures', vendor, name));
}

export function fixture<T = Record<string, unknown>>(vendor: Vendor, name: string): T {
  return JSON.parse(fixtureBytes(vendor, name).toString('utf8')) as T;
}

export interface ContextOptions {
  queues?: Record<string, string>;
  tickets?: TicketPayload[];
  agents?: AgentPayload[];
  now?: number;
  mapping?: Partial<VendorMapping>;
}

export function mapContext(vendor: Vendor, options: ContextOptions = {}): MapContext {
  const mapping = { ...defaultMapping(vendor), ...options.mapping };
  for (const [key, queue] of Object.entries(options.queues ?? {})) mapping.queues[normaliseKey(key)] = queue;
  const tickets = new Map((options.tickets ?? []).map((t) => [t.id, t]));
  const agents = new Map((options.agents ?? []).map((a) => [a.id, a]));
  return {
    mapping,
    knownTicket: (id) => tickets.get(id) ?? null,
    knownAgent: (id) => agents.get(id) ?? null,
    now: options.now ?? Date.parse('2024-07-03T10:45:00Z'),
  };
}

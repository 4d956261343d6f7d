// Zendesk reconciliation poll (research 1.11): the cursor-based incremental ticket export with the
// SLA side-load, which brings what webhooks do not (due times, CSAT) and whatever webhooks lost.
//   GET /api/v2/incremental/tickets/cursor.json?start_time=<epoch s>&include=slas   (first start)
//   GET /api/v2/incremental/tickets/cursor.json?cursor=<after_cursor>&include=slas  (then)
// until `end_of_stream`; the last `after_cursor` is where the next poll resumes. The endpoint
// allows 10 requests a minute (the VendorHttp budget) and leaves out the last minute's changes.
// https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
import { isObject } from '../../domain/validation.js';
import { isoTime, mergeTicket, recordEventId, ticketEventOf } from '../merge.js';
import { MappingError, type MapContext, type MapResult, type PollPage, type VendorHttp, type VendorPoller } from '../types.js';
import { zendeskTicketFields, zendeskTicketId } from './map-ticket.js';
import { ZENDESK } from './map-webhook.js';

export const EXPORT_PATH = '/api/v2/incremental/tickets/cursor.json';
/** Zendesk's limit for incremental exports, per minute. */
export const EXPORT_REQUESTS_PER_MINUTE = 10;

export async function fetchZendeskPage(http: VendorHttp, cursor: string | null, since: number): Promise<PollPage> {
  const query: Record<string, string> = cursor === null ? { start_time: String(Math.floor(since / 1000)), include: 'slas' } : { cursor, include: 'slas' };
  const answer = await http.get(EXPORT_PATH, query);
  if (!isObject(answer) || !Array.isArray(answer.tickets)) throw new Error(`${EXPORT_PATH} answered without a tickets array`);
  const after = typeof answer.after_cursor === 'string' && answer.after_cursor !== '' ? answer.after_cursor : null;
  // No after_cursor (an empty first page): resume where this page started.
  const next = after ?? cursor;
  if (next === null) {
    // Nothing to resume from yet: poll again from the same start time next round.
    return { records: answer.tickets, cursor: `start:${Math.floor(since / 1000)}`, more: false };
  }
  return { records: answer.tickets, cursor: next, more: answer.end_of_stream !== true && after !== null };
}

export function mapZendeskRecord(record: unknown, context: MapContext): MapResult {
  if (!isObject(record)) throw new MappingError('ticket: must be an object');
  const id = zendeskTicketId(record);
  if (id === null) throw new MappingError('ticket.id: required');
  const ignored: string[] = [];
  const known = context.knownTicket(id);
  const fields = zendeskTicketFields(record, context.mapping, known, ignored);
  if (fields === null) throw new MappingError(`ticket ${id}: updated_at is required`);
  const ticket = mergeTicket(ZENDESK, id, fields, known, { queue: context.mapping.defaultQueue });
  return { events: [ticketEventOf(recordEventId(ZENDESK, id, ticket.updatedAt), isoTime(record.updated_at) ?? ticket.updatedAt, ticket)], ignored };
}

export const zendeskPoller: VendorPoller = {
  vendor: ZENDESK,
  async fetchPage(http, cursor, since) {
    // A cursor of "start:<epoch>" means no export cursor was handed out yet (see above).
    const start = cursor?.startsWith('start:') ? Number(cursor.slice('start:'.length)) * 1000 : null;
    return fetchZendeskPage(http, start === null ? cursor : null, start ?? since);
  },
  mapRecord: mapZendeskRecord,
};

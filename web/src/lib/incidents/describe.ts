// A timeline entry in words, in the screen's language, for the console's timeline and its "changed
// meanwhile" notice. The server writes an English `text` on every entry (for the report and the
// log); screens build their own words from `kind` and `change` (contract/incidents.ts lists
// what each kind carries), and show `text` only where it is the content: an update.
import type { I18n } from '../i18n/i18n.svelte.js';
import { isMessageKey } from '../i18n/i18n.svelte.js';
import { audienceOf } from './present.js';
import { formatDue } from './follow-ups.js';
import type { IncidentFollowUp, IncidentMatch, IncidentTask, TimelineEntry } from './types.js';

const DASH = '—';
const SHORT = 80;

/** "severity: SEV2 → SEV1", "commander hand-over: ana → boris": the what of an entry, without who and when. */
export function describeEntry(entry: TimelineEntry, i18n: I18n, tasks: readonly IncidentTask[] = [], followUps: readonly IncidentFollowUp[] = []): string {
  const change = entry.change;
  switch (entry.kind) {
    case 'declared': {
      const to = (change?.to ?? {}) as { title?: string; severity?: string };
      return i18n.t('tl.declared', { severity: to.severity ?? '', title: short(to.title ?? '') });
    }
    case 'update':
      return i18n.t('tl.update', { audience: i18n.t(`update.audience.${audienceOf(entry)}`) });
    case 'reopened':
      return i18n.t('tl.reopened', { status: statusLabel(String(change?.to ?? ''), i18n) });
    case 'role': {
      const role = fieldLabel(change?.field ?? 'roles', i18n);
      const from = (change?.from as string | null) ?? null;
      const to = (change?.to as string | null) ?? null;
      if (from === null) return i18n.t('tl.roleTaken', { role, to: to ?? DASH });
      if (to === null) return i18n.t('tl.roleLeft', { role, from });
      return i18n.t('tl.handOver', { role, from, to });
    }
    case 'task-added': {
      const to = (change?.to ?? {}) as { title?: string; owner?: string | null };
      const title = short(to.title ?? '');
      return to.owner ? `${i18n.t('tl.taskAdded', { title })} (${to.owner})` : i18n.t('tl.taskAdded', { title });
    }
    case 'task-changed': {
      const [, taskId, what] = (change?.field ?? '').split('.');
      const title = short(tasks.find((t) => t.id === taskId)?.title ?? taskId ?? '');
      if (what === 'done') return i18n.t(change?.to === true ? 'tl.taskDone' : 'tl.taskUndone', { title });
      return i18n.t('tl.taskOwner', { title, from: text(change?.from), to: text(change?.to) });
    }
    case 'follow-up-added': {
      const to = (change?.to ?? {}) as { title?: string; owner?: string; dueAt?: string };
      return i18n.t('tl.followUpAdded', { title: short(to.title ?? ''), owner: to.owner ?? DASH, due: to.dueAt ? formatDue(to.dueAt) : DASH });
    }
    case 'follow-up-changed': {
      const [, followUpId, what] = (change?.field ?? '').split('.');
      const title = short(followUps.find((f) => f.id === followUpId)?.title ?? followUpId ?? '');
      if (what === 'status') return i18n.t('tl.followUpStatus', { title, status: followUpStatusLabel(String(change?.to ?? ''), i18n) });
      if (what === 'dueAt') {
        const due = (value: unknown): string => (typeof value === 'string' ? formatDue(value) : DASH);
        return i18n.t('tl.followUpDue', { title, from: due(change?.from), to: due(change?.to) });
      }
      return i18n.t('tl.followUpOwner', { title, from: text(change?.from), to: text(change?.to) });
    }
    case 'field':
      if (change?.field === 'match') return i18n.t('tl.match', { to: matchText(change.to as IncidentMatch) });
      if (change?.field === 'summary') return i18n.t('tl.set', { field: fieldLabel('summary', i18n), to: short(text(change.to)) });
      break;
    default:
      break;
  }
  if (change) {
    const field = fieldLabel(change.field, i18n);
    const to = valueText(change.field, change.to, i18n);
    if (change.from === undefined || change.from === null || change.from === '') return i18n.t('tl.set', { field, to });
    return i18n.t('tl.changed', { field, from: valueText(change.field, change.from, i18n), to });
  }
  return kindLabel(entry.kind, i18n);
}

export function kindLabel(kind: string, i18n: I18n): string {
  const key = `kind.${kind}`;
  return isMessageKey(key) ? i18n.t(key) : kind.replace(/[._-]+/g, ' ');
}

export function fieldLabel(field: string, i18n: I18n): string {
  const key = `field.${field}`;
  return isMessageKey(key) ? i18n.t(key) : field;
}

export function statusLabel(status: string, i18n: I18n): string {
  const key = `incident.status.${status}`;
  return isMessageKey(key) ? i18n.t(key) : status;
}

export function followUpStatusLabel(status: string, i18n: I18n): string {
  const key = `fu.status.${status}`;
  return isMessageKey(key) ? i18n.t(key) : status;
}

function valueText(field: string, value: unknown, i18n: I18n): string {
  if (field === 'status' && typeof value === 'string') return statusLabel(value, i18n);
  return short(text(value));
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) return value.length === 0 ? DASH : value.map((v) => String(v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function matchText(match: IncidentMatch | null | undefined): string {
  const parts = [...(match?.tags ?? []).map((t) => `#${t}`), ...(match?.keywords ?? []).map((k) => `“${k}”`)];
  return parts.length === 0 ? DASH : parts.join(', ');
}

// A summary can be a paragraph; a timeline line needs the gist.
function short(value: string): string {
  return value.length > SHORT ? `${value.slice(0, SHORT - 1)}…` : value;
}

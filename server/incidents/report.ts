// The post-incident report (docs/contract.md#major-incidents) in Markdown: summary, impact, time to identify / mitigate /
// resolve, roles and their hand-overs, the whole timeline, tasks, follow-ups, and the updates sent. Written
// from the incident and its impact figures only, so that it reads the same wherever it is made.
// Times are UTC, as incident reviews usually keep them (research/incidents.md §4.6). Every text a
// person wrote (titles, names, summaries, updates, tags) goes through markdown-escape.ts, so the
// report shows it as text in any Markdown viewer. Pure.
import { isOverdue } from './follow-ups.js';
import type { Impact } from './linking.js';
import { escapeBlock, escapeCell, escapeInline, escapeQuote } from './markdown-escape.js';
import { DEFAULT_SEVERITY_SCALE, INCIDENT_ROLES, type Incident, type SeverityScale, severityLevel, type TimelineEntry } from '../../contract/incidents.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-26 10:02:00 UTC` */
export function utc(isoOrMs: string | number): string {
  const d = new Date(isoOrMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** `1 h 05 min`, `12 min`, `45 s` */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${pad(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function describe(entry: TimelineEntry): string {
  if (entry.kind === 'update') return `${entry.audience === 'customers' ? 'Customer' : 'Internal'} update: ${entry.text ?? ''}`;
  if (entry.kind === 'field' && entry.change?.field === 'summary') return `Summary: ${String(entry.change.to) || '(cleared)'}`;
  if (entry.kind === 'field' && entry.change?.field === 'match') {
    const to = entry.change.to as { tags: string[]; keywords: string[] };
    return `Ticket matching: tags ${to.tags.join(', ') || 'none'}; keywords ${to.keywords.join(', ') || 'none'}`;
  }
  if (entry.kind === 'follow-up-added' && entry.change !== undefined) {
    const to = entry.change.to as { title: string; owner: string; dueAt: string };
    return `follow-up ${entry.change.field.slice('followUps.'.length)}: ${to.title} (owner ${to.owner}, due ${utc(to.dueAt)})`;
  }
  if (entry.kind === 'follow-up-changed' && entry.change?.field.endsWith('.dueAt')) {
    return `follow-up ${entry.change.field.split('.')[1]} due ${utc(String(entry.change.to))}`;
  }
  return entry.text ?? entry.kind;
}

/** `scale`: the severity scale in force, for the level's label and meaning (a level it no longer has is shown as its id). */
export function renderReport(incident: Incident, impact: Impact, now: number, scale: SeverityScale = DEFAULT_SEVERITY_SCALE): string {
  const out: string[] = [];
  const active = incident.status !== 'resolved';
  const sev = severityLevel(scale, incident.severity);
  const since = (iso: string | null): string => (iso === null ? '—' : `+${duration((Date.parse(iso) - Date.parse(incident.declaredAt)) / 1000)}`);

  out.push(`# Incident #${incident.number}: ${escapeInline(incident.title)}`, '');
  out.push(
    `**${incident.severity}**${sev === undefined ? '' : ` (${escapeInline(sev.label)})`} · **${incident.status}** · declared ${utc(incident.declaredAt)} by ${escapeInline(incident.declaredBy)}` +
      (incident.resolvedAt === null ? '' : ` · resolved ${utc(incident.resolvedAt)}`),
    '',
  );
  if (active) out.push(`> This incident is still active: the report is as of ${utc(now)}.`, '');

  out.push('## Summary', '');
  const summary = escapeBlock(incident.summary);
  out.push(summary === '' ? '_No summary was written._' : summary, '');
  if (incident.services.length > 0) out.push(`Services affected: ${incident.services.map(escapeInline).join(', ')}.`, '');

  out.push('## Impact', '');
  const windowSec = (impact.windowEndMs - impact.windowStartMs) / 1000;
  out.push(`- **Duration:** ${duration(windowSec)} (${utc(impact.windowStartMs)} to ${active ? 'now' : utc(impact.windowEndMs)})`);
  out.push(`- **Severity:** ${incident.severity}${sev === undefined || sev.description === '' ? '' : `: ${escapeInline(sev.description)}`}`);
  const rules = [`tagged \`incident-${incident.number}\``];
  if (incident.match.tags.length > 0) rules.push(`tagged ${incident.match.tags.map(escapeInline).join(', ')}`);
  if (incident.match.keywords.length > 0) rules.push(`with ${incident.match.keywords.map((k) => `"${escapeInline(k)}"`).join(', ')} in the subject`);
  out.push(
    `- **Linked tickets:** ${impact.linkedTickets} (${impact.linkedOpen} still open): tickets ${rules.join(', or ')}, open at some time during the incident`,
  );
  out.push(
    `- **SLA breaches during the incident:** ${impact.breaches} (${impact.linkedBreaches} on linked tickets): first-response and resolution targets of all tickets whose due time fell within the incident window and were missed`,
  );
  out.push(
    `- **Customer updates sent:** ${incident.updates.filter((u) => u.audience === 'customers').length}; internal updates: ${incident.updates.filter((u) => u.audience === 'internal').length}`,
  );
  out.push('');

  out.push('## Key times', '');
  out.push('| milestone | at | since declared |', '|---|---|---|');
  out.push(`| Declared | ${utc(incident.declaredAt)} | — |`);
  out.push(`| Identified | ${incident.identifiedAt === null ? 'not reached' : utc(incident.identifiedAt)} | ${since(incident.identifiedAt)} |`);
  out.push(`| Mitigated (monitoring) | ${incident.mitigatedAt === null ? 'not reached' : utc(incident.mitigatedAt)} | ${since(incident.mitigatedAt)} |`);
  out.push(`| Resolved | ${incident.resolvedAt === null ? 'not reached' : utc(incident.resolvedAt)} | ${since(incident.resolvedAt)} |`);
  out.push('');
  const metric = (sec: number | null): string => (sec === null ? 'not reached' : duration(sec));
  out.push(
    `Time to identify: **${metric(incident.metrics.timeToIdentifySec)}** · time to mitigate: **${metric(incident.metrics.timeToMitigateSec)}** · time to resolve: **${metric(incident.metrics.timeToResolveSec)}**`,
    '',
  );
  const reopens = incident.timeline.filter((e) => e.kind === 'reopened').length;
  if (reopens > 0) out.push(`Reopened ${reopens} time${reopens === 1 ? '' : 's'}; the times above are first arrivals, and resolution is the last.`, '');

  out.push('## Roles', '');
  out.push('| role | held by (in order) |', '|---|---|');
  for (const role of INCIDENT_ROLES) {
    const holders = incident.timeline
      .filter((e) => e.kind === 'role' && e.change?.field === `roles.${role}`)
      .map((e) => (e.change!.to === null ? `(vacant from ${utc(e.at)})` : `${String(e.change!.to)} (from ${utc(e.at)})`));
    out.push(`| ${role} | ${holders.length === 0 ? 'not assigned' : escapeCell(holders.join(' → '))} |`);
  }
  out.push('');

  out.push('## Timeline', '');
  out.push('| # | time | who | what |', '|---|---|---|---|');
  for (const entry of incident.timeline) out.push(`| ${entry.seq} | ${utc(entry.at)} | ${escapeCell(entry.actor)} | ${escapeCell(describe(entry))} |`);
  out.push('');

  out.push('## Tasks', '');
  if (incident.tasks.length === 0) out.push('_No tasks._');
  for (const task of incident.tasks) {
    const owner = task.owner === null ? 'no owner' : `owner ${escapeInline(task.owner)}`;
    const done = task.done && task.doneAt !== null ? `, done ${utc(task.doneAt)}` : '';
    out.push(`- [${task.done ? 'x' : ' '}] ${escapeInline(task.id)}: ${escapeInline(task.title)} (${owner}${done})`);
  }
  out.push('');

  out.push('## Follow-ups', '');
  if (incident.followUps.length === 0) out.push('No follow-ups.');
  for (const followUp of incident.followUps) {
    const state =
      followUp.status === 'done'
        ? `done${followUp.doneAt === null ? '' : ` ${utc(followUp.doneAt)}`}`
        : followUp.status === 'wontfix'
          ? "won't fix"
          : isOverdue(followUp, now)
            ? '**overdue**'
            : 'open';
    const owner = escapeInline(followUp.owner);
    out.push(
      `- [${followUp.status === 'done' ? 'x' : ' '}] ${escapeInline(followUp.id)}: ${escapeInline(followUp.title)} (owner ${owner}, due ${utc(followUp.dueAt)}, ${state})`,
    );
  }
  out.push('');

  out.push('## Updates sent', '');
  for (const audience of ['customers', 'internal'] as const) {
    const updates = incident.updates.filter((u) => u.audience === audience);
    out.push(`### ${audience === 'customers' ? 'To customers' : 'Internal'}`, '');
    if (updates.length === 0) out.push('_None._', '');
    for (const update of updates) out.push(`**${utc(update.at)}**, ${escapeInline(update.actor)}:`, '', escapeQuote(update.text), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

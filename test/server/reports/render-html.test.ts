// The HTML report (docs/contract.md#reports-to-management) of the hand-built week in
// report-fixture.ts: what each section shows, in which order, in both languages, the formats of
// each unit, and hostile text from the data shown as text.
import { describe, expect, it } from 'vitest';
import { ALL_LINES } from '../../../contract/reports.js';
import { renderReportHtml } from '../../../server/reports/render-html.js';
import { formatChange, formatDuration, formatFigure } from '../../../server/reports/report-format.js';
import { REPORT_STRINGS } from '../../../server/reports/report-strings.js';
import { reportFixture } from './report-fixture.js';

const en = REPORT_STRINGS.en;
const ru = REPORT_STRINGS.ru;

/** No-break and thin spaces as plain spaces, so expectations read as the page does. */
function plain(text: string): string {
  return text.replace(/[\u00a0\u2009\u202f]/g, ' ');
}

function stripTags(html: string): string {
  return plain(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** One section's HTML, by its type (the n-th of that type). */
function sectionOf(html: string, type: string, nth = 0): string {
  const parts = html.split(`<section class="section section-${type}">`);
  const part = parts[nth + 1];
  if (part === undefined) throw new Error(`no ${type} section #${nth}`);
  return part.slice(0, part.indexOf('</section>'));
}

/** A table's body rows as their cells' text. */
function rowsOf(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => stripTags(cell[1] ?? '')),
  );
}

interface Card {
  tone: string;
  value: string;
  change: string;
  previous: string;
}

function cardsOf(html: string): Map<string, Card> {
  const cards = new Map<string, Card>();
  const pattern =
    /<div class="card tone-(\w+)"><div class="card-label">(.*?)<\/div><div class="card-value">(.*?)<\/div><div class="card-change">(.*?)<\/div><div class="card-previous">(.*?)<\/div><\/div>/g;
  for (const m of html.matchAll(pattern)) {
    cards.set(stripTags(m[2] ?? ''), { tone: m[1] ?? '', value: stripTags(m[3] ?? ''), change: stripTags(m[4] ?? ''), previous: stripTags(m[5] ?? '') });
  }
  return cards;
}

describe('units', () => {
  it('writes durations in minutes and seconds, hours and minutes, days and hours', () => {
    expect(plain(formatDuration(en, 42))).toBe('42 s');
    expect(plain(formatDuration(en, 252))).toBe('4 min 12 s');
    expect(plain(formatDuration(en, 305))).toBe('5 min 05 s');
    expect(plain(formatDuration(en, 3420))).toBe('57 min');
    expect(plain(formatDuration(en, 3900))).toBe('1 h 05 min');
    // 59 min 40 s rounds to the hour.
    expect(plain(formatDuration(en, 3580))).toBe('1 h 00 min');
    expect(plain(formatDuration(en, 51 * 3600 + 10 * 60))).toBe('2 d 03 h');
    expect(plain(formatDuration(ru, 252))).toBe('4 мин 12 с');
    expect(plain(formatDuration(ru, 3900))).toBe('1 ч 05 мин');
  });

  it('writes shares, hours, counts and minutes in each language', () => {
    expect(plain(formatFigure(en, 'compliance', 0.875))).toBe('87.5 %');
    expect(plain(formatFigure(ru, 'compliance', 0.875))).toBe('87,5 %');
    expect(plain(formatFigure(en, 'scheduledAgentHours', 123.5))).toBe('123.5 h');
    expect(plain(formatFigure(en, 'scheduledAgentHours', 1057.5))).toBe('1,057.5 h');
    expect(plain(formatFigure(ru, 'scheduledAgentHours', 1057.5))).toBe('1 057,5 ч');
    expect(plain(formatFigure(en, 'created', 1282))).toBe('1,282');
    expect(plain(formatFigure(en, 'incidentMinutes', 45))).toBe('45 min');
    expect(plain(formatFigure(en, 'incidentMinutes', 195))).toBe('3 h 15 min');
    expect(formatFigure(en, 'csat', null)).toBe('—');
  });

  it('colours a change by which way is better, and not at all for a volume, no change or no value', () => {
    expect(formatChange(en, 'compliance', 0.875, 0.9)).toEqual({ arrow: '▼', text: '2.5\u00a0pp', tone: 'worse' });
    expect(formatChange(en, 'frtMedianSec', 252, 301)).toEqual({ arrow: '▼', text: '49\u00a0s (\u221216.3\u00a0%)', tone: 'better' });
    expect(formatChange(en, 'created', 1282, 1190)).toEqual({ arrow: '▲', text: '92 (+7.7\u00a0%)', tone: 'neutral' });
    expect(formatChange(en, 'csat', 0.92, 0.92)).toEqual({ arrow: '', text: 'no change', tone: 'neutral' });
    // 0.04 pp rounds away in "92.0 %".
    expect(formatChange(en, 'csat', 0.9204, 0.92).tone).toBe('neutral');
    expect(formatChange(en, 'csat', 0.92, null)).toEqual({ arrow: '', text: 'no comparison', tone: 'neutral' });
    expect(formatChange(en, 'incidentMinutes', 195, 0)).toEqual({ arrow: '▲', text: '3\u00a0h 15\u00a0min', tone: 'worse' });
  });
});

describe('the report document', () => {
  const html = renderReportHtml(reportFixture());

  it('is one self-contained document: no script, nothing fetched, a policy that forbids both', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=|url\(|@import|<link|<iframe/i);
    // The only URL is SVG's namespace name, which is never fetched.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
    expect(html).toContain('size: A4 portrait');
    expect(html).toContain('break-inside: avoid');
  });

  it('has the title, the period, the time zone and when it was made (in that zone) in its header', () => {
    const header = stripTags(html.slice(html.indexOf('<header'), html.indexOf('</header>')));
    expect(header).toBe(
      'Weekly report · Watchfloor Support operations — weekly review Period 23 – 29 November 2026 Time zone Europe/Berlin Generated 30 November 2026 at 07:00',
    );
  });

  it('lays the sections out in the definition order', () => {
    const order = [...html.matchAll(/<section class="section section-(\w+)">/g)].map((m) => m[1]);
    expect(order).toEqual(['summary', 'trend', 'trend', 'lines', 'worstDays', 'incidents', 'forecast', 'staffing']);
  });

  it('shows the notes as "What these figures cannot show", before the sections', () => {
    const notes = html.indexOf('<aside class="notes">');
    expect(notes).toBeGreaterThan(html.indexOf('</header>'));
    expect(notes).toBeLessThan(html.indexOf('<main>'));
    expect(stripTags(html.slice(notes, html.indexOf('</aside>')))).toBe(
      'What these figures cannot show The server was down on Saturday 28 November from 02:00 to 03:10; tickets changed in that window count from when they were next seen.',
    );
    const none = reportFixture();
    none.notes = [];
    expect(renderReportHtml(none)).not.toContain('class="notes"');
  });

  it('summary: a card per figure with the period, the previous period and the change, green when better, red when worse', () => {
    const summary = sectionOf(html, 'summary');
    expect(stripTags(summary.slice(0, summary.indexOf('<div class="cards">')))).toBe(
      'Summary All lines, compared with the previous period (16 – 22 November 2026)',
    );
    const cards = cardsOf(summary);
    expect([...cards.keys()]).toEqual([
      'Tickets created',
      'Tickets solved',
      'SLA compliance',
      'First response, median',
      'Resolution time, median',
      'Customer satisfaction (CSAT)',
      'Open tickets (backlog)',
      'Time in major incidents',
    ]);
    expect(cards.get('Tickets created')).toEqual({ tone: 'neutral', value: '1,282', change: '▲ 92 (+7.7 %)', previous: 'Previous period: 1,190' });
    expect(cards.get('Tickets solved')).toEqual({ tone: 'better', value: '1,258', change: '▲ 57 (+4.7 %) · better', previous: 'Previous period: 1,201' });
    expect(cards.get('SLA compliance')).toEqual({ tone: 'worse', value: '87.5 %', change: '▼ 2.5 pp · worse', previous: 'Previous period: 90.0 %' });
    expect(cards.get('First response, median')).toEqual({
      tone: 'better',
      value: '4 min 12 s',
      change: '▼ 49 s (−16.3 %) · better',
      previous: 'Previous period: 5 min 01 s',
    });
    expect(cards.get('Resolution time, median')).toEqual({
      tone: 'worse',
      value: '1 h 05 min',
      change: '▲ 5 min 00 s (+8.3 %) · worse',
      previous: 'Previous period: 1 h 00 min',
    });
    expect(cards.get('Customer satisfaction (CSAT)')).toEqual({ tone: 'neutral', value: '92.0 %', change: 'no change', previous: 'Previous period: 92.0 %' });
    expect(cards.get('Open tickets (backlog)')).toEqual({ tone: 'worse', value: '88', change: '▲ 24 (+37.5 %) · worse', previous: 'Previous period: 64' });
    expect(cards.get('Time in major incidents')).toEqual({
      tone: 'worse',
      value: '3 h 15 min',
      change: '▲ 3 h 15 min · worse',
      previous: 'Previous period: 0 min',
    });
  });

  it('summary: a figure without a value on either side is grey, with no arrow', () => {
    const data = reportFixture();
    data.definition.sections = [{ type: 'summary', figures: ['reopened', 'escalated'] }];
    data.previousTotals = data.previousTotals.filter((row) => row.line !== ALL_LINES);
    const total = data.totals.find((row) => row.line === ALL_LINES)!;
    total.figures.escalated = 7;
    const cards = cardsOf(renderReportHtml(data));
    expect(cards.get('Reopened')).toEqual({ tone: 'neutral', value: '—', change: 'no comparison', previous: 'Previous period: —' });
    expect(cards.get('Escalated')).toEqual({ tone: 'neutral', value: '7', change: 'no comparison', previous: 'Previous period: —' });
  });

  it('trend: an SVG line per line over the seven days, with a legend, breaking where a day has no value', () => {
    const compliance = sectionOf(html, 'trend', 0);
    expect(compliance).toContain('<h2>SLA compliance by day</h2>');
    expect(compliance.match(/<svg /g)).toHaveLength(1);
    expect(compliance.match(/<path /g)).toHaveLength(2);
    // Seven days, a dot each, for each of the two lines.
    expect(compliance.match(/<circle /g)).toHaveLength(14);
    expect(compliance).toContain('>SLA compliance, %</text>');
    for (const day of ['Mon 23', 'Tue 24', 'Wed 25', 'Thu 26', 'Fri 27', 'Sat 28', 'Sun 29']) expect(compliance).toContain(`>${day}</text>`);
    expect(stripTags(compliance.slice(compliance.indexOf('<div class="legend">')))).toBe('billing network');

    const frt = sectionOf(html, 'trend', 1);
    const paths = [...frt.matchAll(/<title>(.*?)<\/title><path d="([^"]*)"/g)].map((m) => [m[1], (m[2] ?? '').match(/M/g)?.length]);
    // network has no value on Wednesday: its line is two pieces, and it has six dots.
    expect(paths).toEqual([
      ['billing', 1],
      ['network', 2],
      ['All lines', 1],
    ]);
    expect(frt.match(/<circle /g)).toHaveLength(7 + 6 + 7);
    expect(frt).toContain('stroke-dasharray="5 3"');
    // The medians are minutes long: the axis is in minutes.
    expect(frt).toContain('>First response, median, minutes</text>');
    expect(stripTags(frt.slice(frt.indexOf('<div class="legend">')))).toBe('billing network All lines');
  });

  it('lines: a row per line and the total, the chosen figures as columns', () => {
    const lines = sectionOf(html, 'lines');
    expect(stripTags(lines.slice(lines.indexOf('<thead>'), lines.indexOf('</thead>')))).toBe(
      'Line Tickets created Tickets solved SLA compliance First response, median Resolution time, median Customer satisfaction (CSAT)',
    );
    expect(rowsOf(lines)).toEqual([
      ['billing', '755', '740', '90.5 %', '3 min 56 s', '57 min', '92.2 %'],
      ['network', '527', '518', '83.8 %', '4 min 51 s', '1 h 18 min', '90.8 %'],
      ['Total', '1,282', '1,258', '87.5 %', '4 min 12 s', '1 h 05 min', '92.0 %'],
    ]);
  });

  it('worst days: the lowest where more is better, the highest where less is better, the highest volume otherwise', () => {
    expect(rowsOf(sectionOf(html, 'worstDays'))).toEqual([
      ['1', 'Thu 26 Nov', '80.1 %'],
      ['2', 'Tue 24 Nov', '87.4 %'],
      ['3', 'Fri 27 Nov', '88.9 %'],
    ]);
    const data = reportFixture();
    data.definition.sections = [
      { type: 'worstDays', figure: 'frtMedianSec', count: 2 },
      { type: 'worstDays', figure: 'created', count: 1, title: 'Busiest day' },
      { type: 'worstDays', figure: 'reopened', count: 3 },
    ];
    const out = renderReportHtml(data);
    expect(sectionOf(out, 'worstDays', 0)).toContain('<h2>Worst days: First response, median</h2>');
    expect(rowsOf(sectionOf(out, 'worstDays', 0))).toEqual([
      ['1', 'Thu 26 Nov', '6 min 12 s'],
      ['2', 'Tue 24 Nov', '4 min 41 s'],
    ]);
    expect(sectionOf(out, 'worstDays', 1)).toContain('<h2>Busiest day</h2>');
    expect(rowsOf(sectionOf(out, 'worstDays', 1))).toEqual([['1', 'Wed 25 Nov', '230']]);
    expect(stripTags(sectionOf(out, 'worstDays', 2))).toBe('Worst days: Reopened No day of this period has a value for this figure.');
  });

  it('incidents: number, title, severity, times in the report zone, duration, and the follow-ups under each', () => {
    expect(rowsOf(sectionOf(html, 'incidents'))).toEqual([
      ['#41', 'Payment gateway timeouts', 'SEV2', '24 Nov, 10:12', '24 Nov, 10:58', '24 Nov, 12:02', '1 h 50 min'],
      ['', 'Follow-ups open Alert on gateway p95 latency — owner: Dana Reyes, due: 4 Dec, 18:00 done Publish the customer postmortem — owner: Ilya Petrov'],
      ['#42', 'VPN login failures for EU agents', 'SEV3', '27 Nov, 16:40', '27 Nov, 17:20', '27 Nov, 18:05', '1 h 25 min'],
    ]);
    const data = reportFixture();
    data.incidents = [{ ...data.incidents[1]!, status: 'active', mitigatedAt: null, resolvedAt: null, minutes: 3320 }];
    expect(rowsOf(sectionOf(renderReportHtml(data), 'incidents'))).toEqual([
      ['#42', 'VPN login failures for EU agents', 'SEV3', '27 Nov, 16:40', '—', 'still open', '2 d 07 h'],
    ]);
    data.incidents = [];
    expect(stripTags(sectionOf(renderReportHtml(data), 'incidents'))).toBe('Major incidents No incidents in this period.');
  });

  it('forecast: the WAPE of each line per day and for the period', () => {
    const forecast = sectionOf(html, 'forecast');
    expect(rowsOf(forecast)).toEqual([
      ['billing', '8.1 %', '9.4 %', '7.2 %', '14.6 %', '8.8 %', '12.1 %', '—', '9.4 %'],
      ['network', '13.2 %', '11.8 %', '15.5 %', '20.1 %', '14.3 %', '16.2 %', '14.9 %', '15.2 %'],
      ['Total', '9.4 %', '8.7 %', '10.1 %', '15.8 %', '9.7 %', '11.8 %', '12.1 %', '10.8 %'],
    ]);
    expect(forecast).not.toContain('<svg');
  });

  it('forecast: a month is too many columns, so the days are a chart and the table keeps the period', () => {
    const data = reportFixture();
    data.periodStart = '2026-11-01';
    data.periodEnd = '2026-12-01';
    data.definition.sections = [{ type: 'forecast' }];
    const forecast = sectionOf(renderReportHtml(data), 'forecast');
    expect(forecast.match(/<svg /g)).toHaveLength(1);
    // The fixture's week, 23–29 November, is all the month has: 6 + 7 dots.
    expect(forecast.match(/<circle /g)).toHaveLength(13);
    expect(rowsOf(forecast)).toEqual([
      ['billing', '9.4 %'],
      ['network', '15.2 %'],
      ['Total', '10.8 %'],
    ]);
  });

  it('staffing: scheduled against required agent-hours per line, as grouped bars and numbers', () => {
    const staffing = sectionOf(html, 'staffing');
    expect(staffing.match(/<rect /g)).toHaveLength(4);
    expect(staffing).toContain('<title>network: Required 500</title>');
    expect(rowsOf(staffing)).toEqual([
      ['billing', '572.0 h', '557.5 h', '+14.5 h', '102.6 %'],
      ['network', '448.0 h', '500.0 h', '−52.0 h', '89.6 %'],
      ['Total', '1,020.0 h', '1,057.5 h', '−37.5 h', '96.5 %'],
    ]);
    expect(stripTags(staffing.slice(staffing.indexOf('<div class="legend">'), staffing.indexOf('<table>')))).toBe('Scheduled Required');
  });
});

describe('in Russian', () => {
  const data = reportFixture();
  data.definition.lang = 'ru';
  data.definition.title = 'Поддержка: итоги недели';
  const html = renderReportHtml(data);

  it('says everything in Russian, with Russian numbers and dates', () => {
    expect(html).toContain('<html lang="ru">');
    const header = stripTags(html.slice(html.indexOf('<header'), html.indexOf('</header>')));
    expect(header).toBe(
      'Еженедельный отчёт · Watchfloor Поддержка: итоги недели Период 23–29 ноября 2026 г. Часовой пояс Europe/Berlin Сформирован 30 ноября 2026 г. в 07:00',
    );
    const cards = cardsOf(sectionOf(html, 'summary'));
    expect(cards.get('Соблюдение SLA')).toEqual({ tone: 'worse', value: '87,5 %', change: '▼ 2,5 п. п. · хуже', previous: 'Предыдущий период: 90,0 %' });
    expect(cards.get('Время первого ответа, медиана')).toEqual({
      tone: 'better',
      value: '4 мин 12 с',
      change: '▼ 49 с (−16,3 %) · лучше',
      previous: 'Предыдущий период: 5 мин 01 с',
    });
    expect(cards.get('Новые обращения')?.value).toBe('1 282');
    expect(cards.get('Удовлетворённость клиентов (CSAT)')?.change).toBe('без изменений');
    expect(sectionOf(html, 'worstDays')).toContain('<h2>Худшие дни по показателю «Соблюдение SLA»</h2>');
    expect(rowsOf(sectionOf(html, 'worstDays'))[0]).toEqual(['1', 'чт, 26 нояб.', '80,1 %']);
    expect(rowsOf(sectionOf(html, 'staffing'))[1]).toEqual(['network', '448,0 ч', '500,0 ч', '−52,0 ч', '89,6 %']);
    expect(html).toContain('<h2>Чего эти цифры не показывают</h2>');
    data.incidents = [];
    expect(stripTags(sectionOf(renderReportHtml(data), 'incidents'))).toBe('Крупные инциденты Инцидентов за этот период не было.');
  });

  it('leaves no English word of ours in the page', () => {
    const words = stripTags(html.slice(html.indexOf('<body>')));
    // Ours, not the data's: the data's line names and incident titles are English here.
    for (const english of [
      'Summary',
      'Previous',
      'better',
      'worse',
      'By line',
      'Worst',
      'Incident',
      'Follow-ups',
      'Forecast',
      'Staffing',
      'Scheduled',
      'Total',
      ' min',
      'Day',
    ]) {
      expect(words).not.toContain(english);
    }
  });
});

describe('hostile text from the data', () => {
  const data = reportFixture();
  const evil = `<script>alert("x")</script>'&`;
  data.definition.title = `</style></title><script>alert('title')</script>"`;
  data.definition.sections = [
    { type: 'summary', title: `<img src=x onerror=alert(1)>`, figures: ['created'] },
    { type: 'trend', figure: 'created', lines: ['billing', evil] },
    { type: 'lines', figures: ['created'] },
    { type: 'incidents' },
    { type: 'staffing' },
  ];
  data.lines = ['billing', evil];
  for (const row of [...data.days, ...data.totals]) if (row.line === 'network') row.line = evil;
  data.incidents[0]!.title = evil;
  data.incidents[0]!.severity = '<b>SEV1</b>';
  data.incidents[0]!.followUps[0]!.title = evil;
  data.incidents[0]!.followUps[0]!.owner = `"><svg onload=alert(2)>`;
  data.notes = [evil];
  data.timeZone = '<Europe/Berlin>';
  const html = renderReportHtml(data);

  it('is shown as text: no element, attribute or style from it', () => {
    expect(html).not.toMatch(/<script|<img|<b>|<svg onload/i);
    // One <style> and one closing tag: the title in the page footer did not end it.
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<\/title>/g)?.length).toBe(html.match(/<title>/g)?.length);
    expect(html).toContain('<h1>&lt;/style&gt;&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;&quot;</h1>');
    expect(html).toContain('<h2>&lt;img src=x onerror=alert(1)&gt;</h2>');
    expect(html).toContain('<td class="name">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</td>');
    expect(html).toContain('<span class="badge">&lt;b&gt;SEV1&lt;/b&gt;</span>');
    expect(html).toContain('owner: &quot;&gt;&lt;svg onload=alert(2)&gt;');
    expect(html).toContain('<dd>&lt;Europe/Berlin&gt;</dd>');
    // In the charts too: the series' title, the legend, the bars' names.
    expect(html).toContain('<g><title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</title>');
    expect(html).toContain('</span>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</span>');
  });

  it('reads back as the text it was', () => {
    const decode = (text: string): string =>
      text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '');
    expect(rowsOf(sectionOf(html, 'lines')).map((row) => decode(row[0] ?? ''))).toEqual(['billing', evil, 'Total']);
    expect(decode(stripTags(html.slice(html.indexOf('<h1>'), html.indexOf('</h1>'))))).toBe(data.definition.title);
  });
});

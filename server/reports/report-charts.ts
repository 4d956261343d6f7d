// The charts of a report (docs/contract.md#reports-to-management) as SVG text, built on the server
// with d3's scales and path generators (which need no DOM). Each chart is a self-contained <svg>
// with a viewBox, so it scales to the printed page's width; its legend is HTML beside it, where
// long line names can wrap. Every piece of text is escaped here. Pure.
import { line as d3line, max, min, scaleBand, scaleLinear, scalePoint, schemeTableau10 } from 'd3';
import type { DailyFigure } from '../../contract/reports.js';
import { FIGURE_UNIT } from '../../contract/reports.js';
import { escapeHtml } from './html-escape.js';
import { formatAxisDay } from './report-format.js';
import type { ReportStrings } from './report-strings.js';

/** The content width of an A4 page with 14 mm margins, in CSS pixels: the charts print at 1:1. */
const WIDTH = 680;
const FONT = 'font-family="Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"';
const AXIS = '#6b7280';
const GRID = '#e5e7eb';
const TEXT = '#374151';

/** Series colours, in order; the all-lines series is drawn in ink, dashed. */
export const SERIES_COLORS: readonly string[] = schemeTableau10;
export const ALL_LINES_COLOR = '#111827';

export interface LegendItem {
  name: string;
  color: string;
  /** A line's series (a stroke, dashed for all lines) or a bar's key (a filled box). */
  kind: 'line' | 'box';
  dashed?: boolean;
}

export function legendHtml(items: LegendItem[]): string {
  const entries = items.map((item) => {
    const swatch =
      item.kind === 'box'
        ? `<span class="swatch box" style="background:${item.color}"></span>`
        : `<span class="swatch line" style="border-top-color:${item.color};border-top-style:${item.dashed === true ? 'dashed' : 'solid'}"></span>`;
    return `<span class="legend-item">${swatch}${escapeHtml(item.name)}</span>`;
  });
  return `<div class="legend">${entries.join('')}</div>`;
}

/** How a figure's values are drawn on an axis: the factor they are divided by and the axis's unit. */
interface AxisScale {
  divisor: number;
  unit: string;
}

function axisScale(s: ReportStrings, figure: DailyFigure, largest: number): AxisScale {
  switch (FIGURE_UNIT[figure]) {
    case 'share':
      return { divisor: 0.01, unit: '%' };
    case 'hours':
      return { divisor: 1, unit: s.units.hours };
    case 'seconds':
      return largest < 2 * 3_600 ? { divisor: 60, unit: s.axisMinutes } : { divisor: 3_600, unit: s.axisHours };
    case 'minutes':
      return largest < 2 * 60 ? { divisor: 1, unit: s.axisMinutes } : { divisor: 60, unit: s.axisHours };
    case 'count':
      return { divisor: 1, unit: '' };
  }
}

function tickText(s: ReportStrings, value: number): string {
  return new Intl.NumberFormat(s.locale, { maximumFractionDigits: 1 }).format(value);
}

/** A name cut to `length` characters (whole code points), with an ellipsis when cut. */
function truncate(name: string, length: number): string {
  const chars = Array.from(name);
  return chars.length <= length ? name : `${chars.slice(0, Math.max(1, length - 1)).join('')}…`;
}

function svgOpen(height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(label)}" ${FONT} font-size="10">`;
}

function yAxis(s: ReportStrings, y: (v: number) => number, ticks: number[], innerWidth: number, title: string, innerHeight: number): string {
  const parts = ticks.map(
    (tick) =>
      `<line x1="0" x2="${innerWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="${GRID}"/>` +
      `<text x="-8" y="${y(tick).toFixed(1)}" dy="0.32em" text-anchor="end" fill="${AXIS}">${escapeHtml(tickText(s, tick))}</text>`,
  );
  const titleText = `<text transform="translate(-44,${(innerHeight / 2).toFixed(1)}) rotate(-90)" text-anchor="middle" fill="${TEXT}">${escapeHtml(title)}</text>`;
  return parts.join('') + titleText;
}

export interface LineSeries {
  name: string;
  color: string;
  dashed?: boolean;
  /** One value per day of the chart, null where the line breaks. */
  values: (number | null)[];
}

export interface LineChartOptions {
  days: string[];
  series: LineSeries[];
  figure: DailyFigure;
  /** The figure's name, shown on the y axis with its unit. */
  title: string;
  height?: number;
}

/** A day-by-day line chart: one path per series, broken where a value is null, a dot on every value. */
export function lineChartSvg(s: ReportStrings, options: LineChartOptions): string {
  const height = options.height ?? 240;
  const margin = { top: 12, right: 16, bottom: 40, left: 60 };
  const innerWidth = WIDTH - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const all = options.series.flatMap((series) => series.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const scale = axisScale(s, options.figure, max(all) ?? 0);
  const shown = all.map((v) => v / scale.divisor);
  const y = scaleLinear()
    .domain([Math.min(0, min(shown) ?? 0), (max(shown) ?? 0) || 1])
    .nice(5)
    .range([innerHeight, 0]);
  const x = scalePoint<string>().domain(options.days).range([0, innerWidth]).padding(0.3);
  const every = Math.max(1, Math.ceil(options.days.length / 10));
  const xTicks = options.days
    .map((day, i) =>
      i % every === 0
        ? `<line x1="${x(day)!.toFixed(1)}" x2="${x(day)!.toFixed(1)}" y1="${innerHeight}" y2="${innerHeight + 4}" stroke="${AXIS}"/>` +
          `<text x="${x(day)!.toFixed(1)}" y="${innerHeight + 16}" text-anchor="middle" fill="${AXIS}">${escapeHtml(formatAxisDay(s, day))}</text>`
        : '',
    )
    .join('');
  const path = d3line<number | null>()
    .defined((v) => v !== null && Number.isFinite(v))
    .x((_, i) => x(options.days[i] ?? '') ?? 0)
    .y((v) => y((v ?? 0) / scale.divisor));
  const series = options.series
    .map((one) => {
      const d = path(one.values.slice(0, options.days.length)) ?? '';
      const dots = one.values
        .slice(0, options.days.length)
        .map((v, i) =>
          v === null || !Number.isFinite(v)
            ? ''
            : `<circle cx="${(x(options.days[i] ?? '') ?? 0).toFixed(1)}" cy="${y(v / scale.divisor).toFixed(1)}" r="2.6" fill="${one.color}"/>`,
        )
        .join('');
      const dash = one.dashed === true ? ' stroke-dasharray="5 3"' : '';
      return `<g><title>${escapeHtml(one.name)}</title><path d="${d}" fill="none" stroke="${one.color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash}/>${dots}</g>`;
    })
    .join('');
  const yTitle = scale.unit === '' ? options.title : `${options.title}, ${scale.unit}`;
  const noData =
    all.length === 0 ? `<text x="${innerWidth / 2}" y="${innerHeight / 2}" text-anchor="middle" fill="${AXIS}">${escapeHtml(s.noData)}</text>` : '';
  return (
    svgOpen(height, options.title) +
    `<g transform="translate(${margin.left},${margin.top})">` +
    yAxis(s, y, y.ticks(5), innerWidth, yTitle, innerHeight) +
    `<line x1="0" x2="${innerWidth}" y1="${innerHeight}" y2="${innerHeight}" stroke="${AXIS}"/>` +
    xTicks +
    `<text x="${innerWidth / 2}" y="${innerHeight + 34}" text-anchor="middle" fill="${TEXT}">${escapeHtml(s.day)}</text>` +
    series +
    noData +
    '</g></svg>'
  );
}

export interface BarGroup {
  name: string;
  /** One value per key, null for none. */
  values: (number | null)[];
}

export interface GroupedBarOptions {
  groups: BarGroup[];
  keys: LegendItem[];
  /** The y axis's title, with its unit. */
  title: string;
  /** A bar's label above it. */
  label: (value: number) => string;
  height?: number;
}

/** Bars side by side per group (a line), one per key (scheduled, required). */
export function groupedBarChartSvg(s: ReportStrings, options: GroupedBarOptions): string {
  const height = options.height ?? 220;
  const margin = { top: 18, right: 16, bottom: 28, left: 60 };
  const innerWidth = WIDTH - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const all = options.groups.flatMap((group) => group.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const y = scaleLinear()
    .domain([0, (max(all) ?? 0) || 1])
    .nice(5)
    .range([innerHeight, 0]);
  const x0 = scaleBand<number>()
    .domain(options.groups.map((_, i) => i))
    .range([0, innerWidth])
    .paddingInner(0.3)
    .paddingOuter(0.15);
  const x1 = scaleBand<number>()
    .domain(options.keys.map((_, i) => i))
    .range([0, x0.bandwidth()])
    .padding(0.08);
  const labelled = x1.bandwidth() >= 30;
  const nameLength = Math.max(4, Math.floor(x0.bandwidth() / 6));
  const groups = options.groups
    .map((group, g) => {
      const bars = group.values
        .map((v, k) => {
          if (v === null || !Number.isFinite(v) || v < 0) return '';
          const key = options.keys[k];
          if (key === undefined) return '';
          const left = x1(k) ?? 0;
          const top = y(v);
          const label = labelled
            ? `<text x="${(left + x1.bandwidth() / 2).toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" fill="${TEXT}" font-size="9">${escapeHtml(options.label(v))}</text>`
            : '';
          return `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${x1.bandwidth().toFixed(1)}" height="${(innerHeight - top).toFixed(1)}" fill="${key.color}"><title>${escapeHtml(`${group.name}: ${key.name} ${options.label(v)}`)}</title></rect>${label}`;
        })
        .join('');
      const centre = (x0(g) ?? 0) + x0.bandwidth() / 2;
      const name = `<text x="${centre.toFixed(1)}" y="${innerHeight + 16}" text-anchor="middle" fill="${TEXT}">${escapeHtml(truncate(group.name, nameLength))}</text>`;
      return `<g transform="translate(${(x0(g) ?? 0).toFixed(1)},0)">${bars}</g>${name}`;
    })
    .join('');
  return (
    svgOpen(height, options.title) +
    `<g transform="translate(${margin.left},${margin.top})">` +
    yAxis(s, y, y.ticks(5), innerWidth, options.title, innerHeight) +
    groups +
    `<line x1="0" x2="${innerWidth}" y1="${innerHeight}" y2="${innerHeight}" stroke="${AXIS}"/>` +
    '</g></svg>'
  );
}

// Numerals are sized from the viewport in CSS (see WidgetFrame): as tall as the widget allows, but
// no wider than its box, which needs the text's width in ems. These are the advance widths of the
// widest common TV fallback font (DejaVu Sans Bold, ~0.7 em digits), so narrower fonts only leave
// a little room; never more text than the box holds.

export function emWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') width += 0.7;
    else if (ch === ' ' || ch === '\u00a0' || ch === '\u202f') width += 0.35;
    else if (ch === ':' || ch === '.' || ch === ',') width += 0.4;
    else if (ch === '%') width += 1.0;
    else if (ch === '—' || ch === '−' || ch === '-') width += 0.84;
    else if ('mwMWмшщжМШЩЖ'.includes(ch)) width += 1.05;
    else width += 0.75;
  }
  return Math.max(width, 0.7);
}

// A strict ISO-8601 parser for event times: `YYYY-MM-DDTHH:MM[:SS[.fff…]]` with `Z` or `±HH[:]MM`.
// Hand-written because it runs seven times per event; a regex plus Date.parse cost more than
// validating everything else. Returns NaN for anything else, including impossible dates
// (2026-02-30, 24:00).

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two decimal digits at `at` as a number, or -1. */
function twoDigits(s: string, at: number): number {
  const tens = s.charCodeAt(at) - 48;
  const ones = s.charCodeAt(at + 1) - 48;
  // Written so that NaN (past the end of the text) fails too.
  if (!(tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9)) return -1;
  return tens * 10 + ones;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function parseIsoTime(s: string): number {
  const n = s.length;
  if (n < 17 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return NaN;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116) return NaN; // 'T' or 't'
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  if (century < 0 || yearOfCentury < 0) return NaN;
  const year = century * 100 + yearOfCentury;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays) return NaN;

  let at = 16;
  let second = 0;
  let ms = 0;
  if (s.charCodeAt(at) === 58) {
    second = twoDigits(s, at + 1);
    if (second < 0 || second > 59) return NaN;
    at += 3;
    if (s.charCodeAt(at) === 46) {
      at++;
      const start = at;
      while (at < n) {
        const c = s.charCodeAt(at) - 48;
        if (c < 0 || c > 9) break;
        // Milliseconds from the first three digits; further digits are kept in the text only.
        if (at - start < 3) ms = ms * 10 + c;
        at++;
      }
      const fraction = at - start;
      if (fraction < 1 || fraction > 9) return NaN;
      if (fraction < 3) ms *= fraction === 1 ? 100 : 10;
    }
  }

  let offsetMinutes = 0;
  const zone = s.charCodeAt(at);
  if (zone === 90 || zone === 122) {
    // 'Z' or 'z'
    at++;
  } else if (zone === 43 || zone === 45) {
    const oh = twoDigits(s, at + 1);
    const colon = s.charCodeAt(at + 3) === 58 ? 1 : 0;
    const om = twoDigits(s, at + 3 + colon);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
    at += 5 + colon;
  } else {
    return NaN;
  }
  if (at !== n) return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; cheaper than Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

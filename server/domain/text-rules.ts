// The rules every text from outside follows, whatever route it came by: how long it may be, which
// characters it may not hold, and the one character class that is removed rather than refused.
// Pure, and cheap enough for the ingest hot path (one pass over the characters of each string).

/** Limits that the event validator, the incident API, the walls and the connectors share. */
export const TEXT_LIMITS = {
  /** Ids and names: ticket/agent ids, sources, queues, teams, agent names, wall names. */
  name: 200,
  /** Ticket subjects: longer ones are cut, not refused (a helpdesk does not cap them). */
  subject: 1_000,
  tags: 50,
  tag: 100,
  /** Free text: incident updates, summaries, task titles, announcements. */
  freeText: 10_000,
} as const;

// Bidirectional embeddings, overrides and isolates: U+202A–U+202E and U+2066–U+2069. A right-to-left
// override makes the rest of a line read backwards ("gnp.exe" shown as "exe.png"); a screen's own
// isolation does not undo that inside the text, so they are removed before anything shows them.
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Whether the code unit is a bidirectional control that displayed text must not carry. */
function isBidi(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** C0 controls, DEL and C1 controls. */
export function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/** The text without bidirectional controls; the same string (no copy) when it has none. */
export function withoutBidi(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Below U+202A nothing needs a closer look: the common case costs one comparison a character.
    if (c >= 0x202a && isBidi(c)) return text.replace(BIDI_CONTROLS, '');
  }
  return text;
}

/** What is wrong with a name's characters, or null. Tells control characters from bidi controls in one pass. */
export type NameCheck = 'control' | 'bidi' | null;

export function checkNameCharacters(text: string): NameCheck {
  let found: NameCheck = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 'control';
    if (c >= 0x202a && isBidi(c)) found = 'bidi';
  }
  return found;
}

/** A name or id as shown: no control characters, no bidi controls, within the limit. */
export type NameResult = { ok: true; text: string } | { ok: false; reason: string };

export function cleanName(value: string, max: number = TEXT_LIMITS.name): NameResult {
  if (value.length > max) return { ok: false, reason: `at most ${max} characters, got ${value.length}` };
  const check = checkNameCharacters(value);
  if (check === 'control') return { ok: false, reason: 'must not contain control characters' };
  const text = check === 'bidi' ? value.replace(BIDI_CONTROLS, '') : value;
  if (text.length === 0) return { ok: false, reason: 'required, a non-empty string' };
  return { ok: true, text };
}

/**
 * A wall announcement (`POST /api/v1/walls/announce`): a non-empty line of at most `maxChars`
 * characters (code points, as people count them; never more than the free-text limit), trimmed,
 * without control characters, bidi controls removed. The message names the field and the limit.
 */
export function validateAnnouncement(value: unknown, maxChars: number): { ok: true; text: string } | { ok: false; error: string } {
  const max = Math.min(maxChars, TEXT_LIMITS.freeText);
  const refuse = { ok: false as const, error: `text: a non-empty string of at most ${max} characters, without control characters` };
  if (typeof value !== 'string') return refuse;
  const text = withoutBidi(value).trim();
  // UTF-16 length first: a megabyte of text is refused before it is split into code points.
  if (text === '' || text.length > max * 2 || [...text].length > max) return refuse;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return refuse;
  return { ok: true, text };
}

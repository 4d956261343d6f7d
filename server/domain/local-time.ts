// Local wall-clock arithmetic for one time zone (docs/contract.md#configuration: `TZ` says what "today" means), without
// a date library: Intl gives the wall-clock fields of an instant, and the offset follows from them.

const HOUR_MS = 3_600_000;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export class LocalTime {
  private readonly format: Intl.DateTimeFormat;

  /** `timeZone` as in `TZ` (a leading `:` is ignored); undefined means the process's zone. */
  constructor(timeZone?: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone?.replace(/^:/, '') || undefined,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local hour of day as a fraction, 0 ≤ h < 24 (9.5 is half past nine). */
  hourOf(ms: number): number {
    const wall = this.wallClock(ms);
    return wall.hour + wall.minute / 60 + wall.second / 3600;
  }

  /** The instant of the local midnight that starts the day containing `ms`. */
  midnightOf(ms: number): number {
    const wall = this.wallClock(ms);
    const wallMidnight = Date.UTC(wall.year, wall.month - 1, wall.day);
    // The offset at `ms` may differ from the one at midnight on a DST day: correct once with
    // the offset found at the first guess.
    const guess = wallMidnight - this.offsetOf(ms);
    return wallMidnight - this.offsetOf(guess);
  }

  /** The local midnight that starts the day after the one containing `ms`. */
  nextMidnight(ms: number): number {
    // Noon of the next day is safely inside it whatever the DST shift.
    return this.midnightOf(this.midnightOf(ms) + 36 * HOUR_MS);
  }

  /** Local wall-clock time minus UTC, in ms. */
  private offsetOf(ms: number): number {
    const wall = this.wallClock(ms);
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return asUtc - Math.floor(ms / 1000) * 1000;
  }

  private wallClock(ms: number): WallClock {
    const fields: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(ms)) {
      if (part.type in fields) fields[part.type as keyof WallClock] = Number(part.value);
    }
    return fields;
  }
}

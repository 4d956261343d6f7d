// "Today" means since local midnight in the process time zone (TZ, SPEC 3). Day keys are
// computed for every event, so the boundaries of the last day asked about are cached.

export class Calendar {
  private cachedStart = 0;
  private cachedEnd = -1;
  private cachedKey = '';

  /** The local date of an instant as `YYYY-MM-DD`. */
  dayKey(ms: number): string {
    if (ms >= this.cachedStart && ms < this.cachedEnd) return this.cachedKey;
    const date = new Date(ms);
    const start = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    // The next midnight is found by date arithmetic, not +24 h, so DST days have 23 or 25 hours.
    const end = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
    this.cachedStart = start;
    this.cachedEnd = end;
    this.cachedKey = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    return this.cachedKey;
  }

  /** Local midnight at the start of the day that holds `ms`. */
  dayStart(ms: number): number {
    this.dayKey(ms);
    return this.cachedStart;
  }

  /** Local midnight at the end of the day that holds `ms`. */
  nextDayStart(ms: number): number {
    this.dayKey(ms);
    return this.cachedEnd;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

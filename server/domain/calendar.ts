// "Today" means since local midnight in the process time zone (TZ, docs/contract.md#configuration). Day keys are
// computed several times per event (created, solved, due times fall on different days), so
// the last few days asked about are cached.

interface CachedDay {
  start: number;
  end: number;
  key: string;
}

const CACHED_DAYS = 8;

export class Calendar {
  private readonly cache: CachedDay[] = [];

  private day(ms: number): CachedDay {
    for (const day of this.cache) if (ms >= day.start && ms < day.end) return day;
    const date = new Date(ms);
    const day: CachedDay = {
      start: new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime(),
      // The next midnight is found by date arithmetic, not +24 h, so DST days have 23 or 25 hours.
      end: new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime(),
      key: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    };
    this.cache.unshift(day);
    if (this.cache.length > CACHED_DAYS) this.cache.pop();
    return day;
  }

  /** The local date `days` before the one of `ms` (date arithmetic, so DST days count as one). */
  dayKeyBefore(ms: number, days: number): string {
    const date = new Date(ms);
    return this.dayKey(new Date(date.getFullYear(), date.getMonth(), date.getDate() - days, 12).getTime());
  }

  /** The local midnight starting the day `YYYY-MM-DD` (date arithmetic: a DST day keeps its 23 or 25 hours). */
  startOf(dayKey: string): number {
    const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d).getTime();
  }

  /** The local midnight ending the day `YYYY-MM-DD`. */
  endOf(dayKey: string): number {
    const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + 1).getTime();
  }

  /** The local date of an instant as `YYYY-MM-DD`. */
  dayKey(ms: number): string {
    return this.day(ms).key;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// One ticking clock per screen: the wall clock, countdowns and "3 min ago" labels all read
// `ticker.now`, so a screen wakes once a second, not once per widget.
import { createContext } from 'svelte';

export class Ticker {
  #now = $state(Date.now());
  #timer: ReturnType<typeof setTimeout> | null = null;

  get now(): number {
    return this.#now;
  }

  start(): void {
    if (this.#timer !== null) return;
    const tick = (): void => {
      this.#now = Date.now();
      // Aligned to the next whole second, so the clock's seconds turn over together with the
      // countdowns and never skip one when a timer fires late.
      this.#timer = setTimeout(tick, 1000 - (this.#now % 1000) + 5);
    };
    tick();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

export const [getTicker, setTicker] = createContext<Ticker>();

// The rotation of a dashboard's pages: every `rotateSeconds`, the next page; a new dashboard (or a
// new interval) starts again from its first page.

export class PageRotation {
  #step = $state(0);

  /** Call during a component's initialisation; `board` is read reactively. */
  constructor(board: () => { rotateSeconds: number | undefined; pageCount: number }) {
    $effect(() => {
      const { rotateSeconds, pageCount } = board();
      this.#step = 0;
      if (!rotateSeconds || rotateSeconds <= 0 || pageCount < 2) return;
      const timer = setInterval(() => {
        this.#step = (this.#step + 1) % pageCount;
      }, rotateSeconds * 1000);
      return () => clearInterval(timer);
    });
  }

  /** The rotation's step; wall-view's pageAt turns it into a page. */
  get step(): number {
    return this.#step;
  }
}

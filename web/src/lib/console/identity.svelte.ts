// Who the console's token is (GET /api/v1/me), read once per page load, shared by the console's
// pages. Until the answer comes (or if it never does), everything is offered: the server decides
// every write anyway, and a commander must never find the buttons missing on a bad day.
import { createContext } from 'svelte';
import { mayAct, whoAmI, type Me, type RankedRole } from '../live/me.js';

export class Identity {
  #me = $state.raw<Me | null>(null);

  constructor(token: string | null) {
    if (token !== null)
      whoAmI(token).then(
        (me) => (this.#me = me),
        () => {},
      );
  }

  get me(): Me | null {
    return this.#me;
  }

  /** Whether this token's role includes `needed` (true while unknown). */
  may(needed: RankedRole): boolean {
    return mayAct(this.#me, needed);
  }
}

export const [getIdentity, setIdentity] = createContext<Identity>();

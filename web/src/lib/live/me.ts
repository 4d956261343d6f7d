// Who the page's token is (GET /api/v1/me), so a screen offers only what its role may do. The
// server checks every write anyway: this only spares a supervisor buttons that would answer 403.
import { getJson } from '../api/http.js';

export interface Me {
  name: string;
  role: string;
}

/** docs/contract.md#authentication-and-roles's ranked roles, each including the ones before it. */
const RANKED = ['viewer', 'supervisor', 'commander', 'admin'] as const;
export type RankedRole = (typeof RANKED)[number];

export function whoAmI(token: string | null): Promise<Me> {
  return getJson<Me>('/api/v1/me', token);
}

/** Whether `role` includes `needed`; an unknown role (or not known yet: null) is given the benefit. */
export function mayAct(me: Me | null, needed: RankedRole): boolean {
  if (me === null) return true;
  const have = RANKED.indexOf(me.role as RankedRole);
  return have === -1 ? true : have >= RANKED.indexOf(needed);
}

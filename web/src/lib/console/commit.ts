// How the console's panels write (docs/contract.md#major-incidents): each write says what it does in words (for the conflict
// notice), the incident it was decided on (its version goes in If-Match) and how to send it for a
// given version (so "apply my change to the current state" resends it on the newer version).
import type { WriteOutcome } from '../incidents/incident-api.js';
import type { Incident } from '../incidents/types.js';

export type Send = (version: number) => Promise<WriteOutcome>;

/** Resolves true when written, false on a conflict or an error (the page shows which). */
export type Commit = (what: string, base: Incident, send: Send) => Promise<boolean>;

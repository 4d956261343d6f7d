// The one typed map of socket.io events on `/live`, imported by the server and the web app,
// so that `emit` and `on` are type-checked at both ends and cannot drift apart.
import type { LiveState, StateSection } from '../domain/types.js';

/** The whole state, sent on connect, on request and to a client that fell behind. */
export type StateMessage = LiveState;

/** Changed sections only; each replaces the client's section wholesale. */
export type DeltaMessage = { seq: number; at: string } & Partial<Pick<LiveState, StateSection>>;

export interface ServerToClientEvents {
  state: (message: StateMessage) => void;
  delta: (message: DeltaMessage) => void;
}

export interface ClientToServerEvents {
  /** The client saw a gap in `seq` (or just woke up) and wants the whole state again. */
  resync: () => void;
}

export interface SocketData {
  role: string;
  name: string;
  /** The last `seq` sent on this connection. */
  seq: number;
}

export const LIVE_NAMESPACE = '/live';
/** Changes are coalesced: at most one message per client per this many ms (SPEC 7). */
export const COALESCE_MS = 250;

// Per-connection limits of the live channel, enforced at the engine.io connection beneath
// socket.io, where every packet passes whatever sent it (state, deltas, agents, alerts,
// incidents, wall commands, dashboards, heartbeats):
// - outbound: the bytes waiting for the client (engine.io's write buffer plus what the websocket
//   has not handed to the kernel yet) are counted; past a soft mark the client counts as slow
//   (the hub stops sending it coalesced changes and sends a whole state once it drains), past a
//   hard bound the connection is cut: a client that does not read cannot make the server hold
//   more than that for it.
// - inbound: packets from the client are rate limited; a client that sends faster is cut.
// A cut destroys the TCP connection at once instead of closing politely: a polite close would
// wait for a client that does not read, holding its buffers until a timeout.
import { TokenBucket } from './token-bucket.js';

export interface ConnectionLimits {
  /** Waiting bytes beyond which the connection is cut. */
  maxPendingBytes: number;
  /** Waiting bytes beyond which the client counts as slow (gets no coalesced changes). */
  slowPendingBytes: number;
  /** Waiting packets beyond which the client counts as slow. */
  slowPendingPackets: number;
  /** Inbound packets allowed at once… */
  inboundBurst: number;
  /** …and per second on average after that. */
  inboundPerSecond: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  // Far above any whole message a real department produces (a state of 10,000 queues is ~1 MB),
  // and, counted as UTF-16 in the worst case, well inside the 50 MB a connection may cost.
  maxPendingBytes: 8 * 1024 * 1024,
  slowPendingBytes: 1024 * 1024,
  slowPendingPackets: 8,
  // A wall or a supervisor page sends a handful of packets when it connects, then a heartbeat
  // answer every 10 s and a request now and then.
  inboundBurst: 100,
  inboundPerSecond: 20,
};

/** What the guard uses of an engine.io socket (`socket.conn`), typed here rather than imported. */
export interface EngineConnection {
  readonly remoteAddress: string;
  readonly writeBuffer: ReadonlyArray<{ data?: unknown }>;
  readonly transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): unknown;
  on(event: 'flush', listener: (buffer: ReadonlyArray<{ data?: unknown }>) => void): unknown;
  on(event: 'packet', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(discard?: boolean): unknown;
}

export type CutReason = 'not reading' | 'too many packets';

export class ConnectionGuard {
  /** Bytes of the packets in engine.io's write buffer, kept as packets come and go. */
  private queuedBytes = 0;
  private readonly inbound: TokenBucket;
  private cutFor: CutReason | null = null;

  constructor(
    private readonly conn: EngineConnection,
    private readonly limits: ConnectionLimits,
    private readonly onCut: (reason: CutReason, pendingBytes: number) => void,
    now: () => number = Date.now,
  ) {
    this.inbound = new TokenBucket(limits.inboundBurst, limits.inboundPerSecond, now);
    // The engine's own first packets may still wait (a polling handshake); they count too.
    for (const packet of conn.writeBuffer) this.queuedBytes += sizeOf(packet);
    conn.on('packetCreate', (packet) => {
      this.queuedBytes += sizeOf(packet);
      // Cut after the emit in progress (it may be one of a loop over the connections).
      if (this.pendingBytes > limits.maxPendingBytes) queueMicrotask(() => this.cut('not reading'));
    });
    conn.on('flush', (buffer) => {
      for (const packet of buffer) this.queuedBytes -= sizeOf(packet);
    });
    conn.on('packet', () => {
      if (!this.inbound.take()) this.cut('too many packets');
    });
    conn.on('close', () => {
      // Closed for another reason (a missed heartbeat, the server stopping) with bytes still unsent:
      // the client is not reading, and a polite websocket close would keep them for 30 s.
      const socket = this.conn.transport.socket;
      if ((socket?.bufferedAmount ?? 0) > 0) socket?.terminate?.();
    });
  }

  /** Bytes sent to this client that have not reached the kernel's socket buffer yet. */
  get pendingBytes(): number {
    return Math.max(0, this.queuedBytes) + (this.conn.transport.socket?.bufferedAmount ?? 0);
  }

  /** Not keeping up: coalesced changes should wait (a whole state follows once it drains). */
  get slow(): boolean {
    return this.conn.writeBuffer.length > this.limits.slowPendingPackets || this.pendingBytes > this.limits.slowPendingBytes;
  }

  get cutReason(): CutReason | null {
    return this.cutFor;
  }

  /** Ends the connection now, dropping what waits for it; socket.io sees "forced close". */
  cut(reason: CutReason): void {
    if (this.cutFor !== null) return;
    this.cutFor = reason;
    const pending = this.pendingBytes;
    const transport = this.conn.transport;
    this.conn.close(true);
    // A websocket's polite close waits up to 30 s for the client's answer, with the unsent bytes.
    transport.socket?.terminate?.();
    this.onCut(reason, pending);
  }
}

function sizeOf(packet: { data?: unknown }): number {
  const data = packet.data;
  // Strings are counted in UTF-16 units; a small constant stands for the packet's own overhead.
  if (typeof data === 'string') return data.length + 8;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength + 8;
  return 8;
}

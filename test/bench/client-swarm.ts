// The fan-out scenario's live clients, spread over a few child processes (fan-out-clients.ts), and
// the IPC messages between them. In the bench process, beside the pacing of the batches, a
// thousand clients' decoding delayed both the sends and the arrivals (docs/performance.md).
// Times in the children and here are all monotonicMs(), one clock for the whole machine; the
// ping/pong of clock() checks that, and the scenario reports what it found.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, ROOT } from './child.js';
import { monotonicMs } from './live-clients.js';

/** One client's record: kpis arrivals with their createdToday, every message's arrival, seq gaps. */
export interface SwarmTrace {
  times: number[];
  created: number[];
  arrivals: number[];
  seqGaps: number;
}

export type SwarmRequest =
  | { type: 'connect'; baseUrl: string; count: number; parallel: number }
  | { type: 'ping'; sentAt: number }
  | { type: 'window' }
  /** Only what arrived by `until` (monotonicMs) counts: a lagging child must not see more than the window. */
  | { type: 'report'; until: number }
  | { type: 'close' };

export type SwarmReply =
  | { type: 'connected'; connectMs: number }
  | { type: 'failed'; message: string }
  | { type: 'pong'; sentAt: number; childAt: number }
  | {
      type: 'report';
      traces: SwarmTrace[];
      loopDelayMs: { p99: number; max: number };
      cpuMs: number;
      windowMs: number;
      /** Per live event, what the process's clients received in the window. */
      traffic: Record<string, { frames: number; chars: number }>;
    };

export type ProcessReport = Omit<Extract<SwarmReply, { type: 'report' }>, 'type'>;

/** A child's clock against ours: offset = its clock − ours, known to within ± rtt / 2. */
export interface ClockCheck {
  offsetMs: number;
  rttMs: number;
}

const PINGS = 20;

interface Waiter {
  resolve: (reply: SwarmReply) => void;
  reject: (error: Error) => void;
}

class SwarmProcess {
  private readonly waiting = new Map<SwarmReply['type'], Waiter>();
  private failure: Error | null = null;

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: SwarmReply) => {
      if (reply.type === 'failed') return this.fail(new Error(`client process ${child.pid}: ${reply.message}`));
      const waiter = this.waiting.get(reply.type);
      this.waiting.delete(reply.type);
      waiter?.resolve(reply);
    });
    child.on('exit', (code, signal) => this.fail(new Error(`client process ${child.pid} exited (${code ?? signal})`)));
  }

  /** Sends a request and resolves with the next reply of the given type (one question of a type at a time). */
  ask<T extends SwarmReply['type']>(request: SwarmRequest, type: T): Promise<Extract<SwarmReply, { type: T }>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(type, { resolve: resolve as (reply: SwarmReply) => void, reject });
      this.child.send(request);
    });
  }

  tell(request: SwarmRequest): void {
    if (this.child.connected) this.child.send(request);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

export class ClientSwarm {
  private constructor(
    private readonly processes: SwarmProcess[],
    readonly connectMs: number,
  ) {}

  /**
   * Starts `processes` children and connects `clients` clients among them, each child `parallel`
   * at a time, every client waiting for its first whole state.
   */
  static async start(options: { baseUrl: string; clients: number; processes: number; parallel: number }): Promise<ClientSwarm> {
    const entry = path.join(BENCH_DIR, 'fan-out-clients.ts');
    const processes: SwarmProcess[] = [];
    for (let p = 0; p < options.processes; p++) {
      // The tsx loader only compiles the child's modules at start; it costs nothing while measuring.
      processes.push(new SwarmProcess(fork(entry, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
    }
    try {
      const started = monotonicMs();
      await Promise.all(
        processes.map((p, i) => {
          const count = Math.floor(options.clients / options.processes) + (i < options.clients % options.processes ? 1 : 0);
          return p.ask({ type: 'connect', baseUrl: options.baseUrl, count, parallel: options.parallel }, 'connected');
        }),
      );
      return new ClientSwarm(processes, monotonicMs() - started);
    } catch (error) {
      new ClientSwarm(processes, 0).close();
      throw error;
    }
  }

  /** Each child's clock against ours, from the ping with the shortest round trip. */
  async clock(): Promise<ClockCheck[]> {
    return Promise.all(
      this.processes.map(async (p) => {
        let best: ClockCheck = { offsetMs: NaN, rttMs: Infinity };
        for (let i = 0; i < PINGS; i++) {
          const pong = await p.ask({ type: 'ping', sentAt: monotonicMs() }, 'pong');
          const back = monotonicMs();
          const rttMs = back - pong.sentAt;
          if (rttMs < best.rttMs) best = { offsetMs: pong.childAt - (pong.sentAt + back) / 2, rttMs };
        }
        return best;
      }),
    );
  }

  /** The measured window starts: each child resets its event-loop delay histogram and CPU count. */
  startWindow(): void {
    for (const p of this.processes) p.tell({ type: 'window' });
  }

  /** Every child's traces up to now and its own load during the window. */
  async report(): Promise<ProcessReport[]> {
    const until = monotonicMs();
    return Promise.all(this.processes.map((p) => p.ask({ type: 'report', until }, 'report')));
  }

  close(): void {
    for (const p of this.processes) {
      p.tell({ type: 'close' });
      // A child that does not leave within a few seconds is stuck; the bench must not be.
      setTimeout(() => p.child.kill('SIGKILL'), 5_000).unref();
    }
  }
}

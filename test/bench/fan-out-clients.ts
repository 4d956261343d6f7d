// A share of the fan-out scenario's live clients, in a child process of its own (started by
// client-swarm.ts): the clients decode and parse every message, each for itself as a wall does,
// and a thousand of them in the process that also paces the batches delayed its sends and its
// clients alike. Arrival times are taken on the machine-wide monotonic clock (monotonicMs), so the
// parent compares them with its send times as they are. The IPC messages are in client-swarm.ts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SwarmReply, SwarmRequest, SwarmTrace } from './client-swarm.js';
import { BenchClient, monotonicMs } from './live-clients.js';

interface Traced {
  client: BenchClient;
  /** (arrival time, createdToday) whenever the kpis section arrived. */
  times: number[];
  created: number[];
}

const traced: Traced[] = [];
/** Per live event: frames and characters received by all of this process's clients in the window. */
const traffic = new Map<string, { frames: number; chars: number }>();
let counting = false;
const EVENT_NAME = /^\d+\/live,\["([^"]+)"/;

/**
 * Counts each frame by its event name, read from the frame's first characters (socket.io's text
 * encoding): what the clients must decode is part of what the scenario reports, since a big
 * message to every client costs the server and every client alike.
 */
function countTraffic(client: BenchClient): void {
  client.socket.io.engine.on('data', (data: unknown) => {
    if (!counting || typeof data !== 'string') return;
    const name = EVENT_NAME.exec(data.slice(0, 64))?.[1] ?? '(engine.io)';
    const seen = traffic.get(name);
    if (seen === undefined) traffic.set(name, { frames: 1, chars: data.length });
    else {
      seen.frames++;
      seen.chars += data.length;
    }
  });
}

const loop = monitorEventLoopDelay({ resolution: 5 });
let cpuAtStart = process.cpuUsage();
let windowStart = monotonicMs();

const send = (reply: SwarmReply): void => {
  process.send!(reply);
};

async function connect(baseUrl: string, count: number, parallel: number): Promise<void> {
  const started = monotonicMs();
  for (let i = 0; i < count; i += parallel) {
    const wave: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(count, i + parallel); j++) {
      const times: number[] = [];
      const created: number[] = [];
      // Only the kpis section is kept: a client's latency is when its view first shows a count.
      const client = new BenchClient(baseUrl, (message, t) => {
        if (message.kpis === undefined) return;
        times.push(t);
        created.push(message.kpis.createdToday);
      });
      traced.push({ client, times, created });
      countTraffic(client);
      wave.push(client.ready());
    }
    await Promise.all(wave);
  }
  send({ type: 'connected', connectMs: monotonicMs() - started });
}

/** The number of leading entries of an ascending list that are ≤ until. */
function upTo(times: readonly number[], until: number): number {
  let n = times.length;
  while (n > 0 && times[n - 1]! > until) n--;
  return n;
}

function report(until: number): void {
  loop.disable();
  counting = false;
  const cpu = process.cpuUsage(cpuAtStart);
  const trace = ({ client, times, created }: Traced): SwarmTrace => {
    const kept = upTo(times, until);
    return {
      times: times.slice(0, kept),
      created: created.slice(0, kept),
      arrivals: client.arrivals.slice(0, upTo(client.arrivals, until)),
      seqGaps: client.seqGaps,
    };
  };
  send({
    type: 'report',
    traces: traced.map(trace),
    loopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    cpuMs: (cpu.user + cpu.system) / 1000,
    traffic: Object.fromEntries(traffic),
    windowMs: monotonicMs() - windowStart,
  });
}

// The parent gone (a crash, an interrupted bench) means nobody will ask for a report: leave with it.
process.on('disconnect', () => process.exit(0));

process.on('message', (request: SwarmRequest) => {
  switch (request.type) {
    case 'connect':
      connect(request.baseUrl, request.count, request.parallel).catch((error: unknown) => {
        send({ type: 'failed', message: (error as Error).message });
      });
      break;
    case 'ping':
      send({ type: 'pong', sentAt: request.sentAt, childAt: monotonicMs() });
      break;
    case 'window':
      loop.reset();
      loop.enable();
      traffic.clear();
      counting = true;
      cpuAtStart = process.cpuUsage();
      windowStart = monotonicMs();
      break;
    case 'report':
      report(request.until);
      break;
    case 'close':
      for (const { client } of traced) client.close();
      process.exit(0);
      break;
  }
});

// A discrete-event simulation of the queue the staffing maths models, to check the formulas
// against something that knows nothing of them: Poisson arrivals, exponential handling, N agents
// taking contacts first come first served, and (for Erlang A) each waiting contact giving up
// after an exponential patience. Seeded, so a run is the same every time.

export interface QueueSimulationInput {
  agents: number;
  arrivalsPerSecond: number;
  ahtSeconds: number;
  /** Mean patience; absent: contacts wait as long as it takes (Erlang C). */
  patienceSeconds?: number;
  targetSeconds: number;
  /** Contacts counted (after the warm-up). */
  contacts: number;
  /** Contacts let through first so the queue forgets it started empty. */
  warmUp?: number;
  seed: number;
}

export interface QueueSimulationResult {
  /** Share of counted contacts answered within the target (abandoned ones are misses). */
  serviceLevel: number;
  waitProbability: number;
  abandonProbability: number;
  /** Mean wait of the answered contacts, seconds. */
  asaSeconds: number;
  /** Busy agent-time ÷ agent-time over the counted stretch. */
  occupancy: number;
}

/** mulberry32: small, fast, good enough to drive exponentials; seeded for reproducible runs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulateQueue(input: QueueSimulationInput): QueueSimulationResult {
  const uniform = random(input.seed);
  // 1 − u is in (0, 1]: never log(0).
  const exponential = (rate: number): number => -Math.log(1 - uniform()) / rate;
  const serviceRate = 1 / input.ahtSeconds;
  const patienceRate = input.patienceSeconds === undefined ? 0 : 1 / input.patienceSeconds;
  const warmUp = input.warmUp ?? Math.ceil(input.contacts / 10);
  const totalContacts = warmUp + input.contacts;

  // The waiting line, FIFO, as parallel arrays with a moving head (no shifting).
  const waitingSince: number[] = [];
  const givesUpAt: number[] = [];
  const waitingIndex: number[] = [];
  let head = 0;

  let now = 0;
  let busy = 0;
  let arrived = 0;
  let nextArrival = exponential(input.arrivalsPerSecond);
  let countedFrom = Number.NaN;
  let busyTime = 0;

  let counted = 0;
  let withinTarget = 0;
  let waited = 0;
  let abandoned = 0;
  let answered = 0;
  let answeredWait = 0;

  const isCounted = (index: number): boolean => index >= warmUp;
  const answer = (index: number, wait: number): void => {
    busy++;
    if (!isCounted(index)) return;
    counted++;
    answered++;
    answeredWait += wait;
    if (wait > 0) waited++;
    if (wait <= input.targetSeconds) withinTarget++;
  };

  // Until every counted contact has arrived and been answered or given up.
  while (arrived < totalContacts || head < waitingIndex.length) {
    // Exponential handling is memoryless: the next end of service among `busy` agents can be
    // drawn afresh at every event.
    const nextEnd = busy > 0 ? now + exponential(busy * serviceRate) : Number.POSITIVE_INFINITY;
    const arrivalNext = arrived < totalContacts && nextArrival <= nextEnd;
    const eventAt = arrivalNext ? nextArrival : nextEnd;
    if (!Number.isNaN(countedFrom)) busyTime += busy * (eventAt - now);
    now = eventAt;
    if (arrivalNext) {
      const index = arrived++;
      if (index === warmUp) countedFrom = now;
      if (busy < input.agents) answer(index, 0);
      else {
        waitingSince.push(now);
        givesUpAt.push(patienceRate === 0 ? Number.POSITIVE_INFINITY : now + exponential(patienceRate));
        waitingIndex.push(index);
      }
      nextArrival = now + exponential(input.arrivalsPerSecond);
    } else {
      busy--;
      // Contacts whose patience ran out while they waited left at that moment; skip them.
      while (head < waitingIndex.length && givesUpAt[head]! < now) {
        if (isCounted(waitingIndex[head]!)) {
          counted++;
          waited++;
          abandoned++;
        }
        head++;
      }
      if (head < waitingIndex.length) {
        answer(waitingIndex[head]!, now - waitingSince[head]!);
        head++;
      }
    }
    if (arrived >= totalContacts && busy === 0 && head >= waitingIndex.length) break;
  }
  return {
    serviceLevel: withinTarget / counted,
    waitProbability: waited / counted,
    abandonProbability: abandoned / counted,
    asaSeconds: answered === 0 ? 0 : answeredWait / answered,
    occupancy: busyTime / (input.agents * (now - countedFrom)),
  };
}

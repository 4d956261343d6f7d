// One ticket seen for the first time, as the forecast's history counts it (docs/contract.md#forecast-shifts-and-staffing).

export interface Arrival {
  /** The ticket's key (source and id), so that a ticket sent twice counts once. */
  key: string;
  /** The ticket's queue: the line it arrived on. */
  line: string;
  createdAt: number;
}

/** A ticket new to the model, as the arrivals store (which reads the Arrival part) and surge detection take it. */
export interface NewTicketSeen extends Arrival {
  subject: string;
  tags: readonly string[];
}

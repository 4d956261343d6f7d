// When a supervisor panel reads its list again: now and every `everyMs`, after the live channel
// reconnects (what changed while it was away is unknown), and when a key derived from the live
// state moves (the state's counts say the list changed), so the list follows without waiting for
// the period. Call from a component's script: it registers the component's effects.
import { poll } from './poll';

export interface PanelRead {
  load: () => Promise<void>;
  everyMs: number;
  /** The live client's reconnect count. */
  reconnects: () => number;
  /** A key of the live state the list depends on; '' while there is no state. */
  changeKey?: () => string;
}

export function followRead({ load, everyMs, reconnects, changeKey }: PanelRead): void {
  $effect(() => poll(load, everyMs));
  $effect(() => {
    if (reconnects() > 0) void load();
  });
  if (changeKey === undefined) return;
  let last = '';
  $effect(() => {
    const key = changeKey();
    if (key === last) return;
    // The first key is the state as it was when the panel first read: nothing to read again.
    const first = last === '';
    last = key;
    if (!first) void load();
  });
}

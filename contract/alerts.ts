// Alerts as the screens receive them (the live `alerts` message, GET /api/v1/alerts and its
// history). Types only.

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface Acknowledgement {
  by: string;
  at: string;
}

/** An active (firing or clearing) alert, for the API and the screens. */
export interface ActiveAlert {
  id: string;
  title: string;
  severity: AlertSeverity;
  wall: boolean;
  state: 'firing' | 'clearing';
  /** Counts the firings of this rule since start: an acknowledgement belongs to one. */
  instance: number;
  firedAt: string;
  /** The metric's (or the silence's, in seconds) latest value; null when the state has none. */
  value: number | null;
  /** The number path `value` is of (so a screen can write it as the wall would); null for a no-events rule (seconds of silence). */
  metric: string | null;
  acknowledged: Acknowledgement | null;
}

export interface AlertHistoryEntry {
  type: 'fire' | 'clear' | 'ack';
  alertId: string;
  title: string;
  severity: AlertSeverity;
  instance: number;
  at: string;
  value: number | null;
  /** Who acknowledged (ack entries only). */
  by?: string;
  /** Why it cleared when not by its metric (e.g. the rule was removed). */
  reason?: string;
}

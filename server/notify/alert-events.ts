// Which of an evaluation's transitions are alerts that fired (pending → firing: the moment the log
// says "alert … fired"), as the API shows them. Pure.
import type { ActiveAlert } from '../../contract/alerts.js';
import type { AlertTransition } from '../alerts/engine.js';

export function firedAlerts(transitions: readonly AlertTransition[], active: readonly ActiveAlert[]): ActiveAlert[] {
  const fired = new Set(transitions.filter((t) => t.from === 'pending' && t.to === 'firing').map((t) => t.alertId));
  return active.filter((alert) => fired.has(alert.id));
}

// What the wall tells the document around it: the language (a taken-over wall keeps its own, as
// the room it speaks to has not changed), the tab's title, and <body data-dashboard>, where machines
// read the dashboard shown (docs/contract.md#dashboards-as-code).
import type { Dashboard } from '../../../../contract/dashboards.js';
import type { I18n } from '../i18n/i18n.svelte.js';

/** Call during the wall page's initialisation; `own` and `shown` are read reactively. */
export function syncWallDocument(i18n: I18n, own: () => Dashboard | null, shown: () => Dashboard | null): void {
  $effect(() => {
    i18n.setDashboardLang(own()?.lang ?? shown()?.lang);
  });
  $effect(() => {
    const dashboard = shown();
    if (dashboard) document.body.dataset.dashboard = dashboard.id;
    else delete document.body.dataset.dashboard;
  });
  $effect(() => {
    document.documentElement.lang = i18n.lang;
  });
  $effect(() => {
    const dashboard = shown();
    document.title = dashboard ? `${i18n.text(dashboard.title)} · Watchfloor` : 'Watchfloor';
  });
  // Leaving the wall (a client-side navigation): no other screen shows a dashboard.
  $effect(() => () => {
    delete document.body.dataset.dashboard;
  });
}

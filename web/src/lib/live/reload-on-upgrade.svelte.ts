// After a reconnect the server may have been upgraded: a TV nobody touches must load the new app by
// itself, or it would run old code against a new server for weeks. SvelteKit's `updated.check()`
// compares the running build with the server's _app/version.json.
import { updated } from '$app/state';

/** Call during a component's initialisation; `reconnects` is read reactively (LiveClient.reconnects). */
export function reloadWhenUpgraded(reconnects: () => number): void {
  $effect(() => {
    if (reconnects() === 0) return;
    void updated
      .check()
      .then((isNew) => {
        if (isNew) location.reload();
      })
      .catch(() => {});
  });
}

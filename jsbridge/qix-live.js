// qix-live.js: keep a page in step with one engine object. Exported as
// watch() and used by QixObject.watchLayout().
//
// watch(obj, fetch, listener) fetches now and again on every 'changed',
// and hands each value to listener. Replies to overlapping calls may
// arrive in any order (engines run them concurrently), so a page that
// refetches on every 'changed' can end up showing an older layout last.
// Here:
//   - one fetch is in flight at a time: a 'changed' during a fetch marks
//     the value stale and exactly one more fetch follows (a burst of
//     changes costs two round trips, not one per change);
//   - a value a newer change overtook is never handed out;
//   - with delta on, unchanged parts of successive layouts are the same
//     objects (see qix-patch.js), so a renderer can skip them by identity.
// Errors go to onError (default: console.error); the next successful
// fetch goes to the listener as usual.

export function watch(obj, fetch, listener, { onError = (err) => console.error('qix-wasm: watch failed', err) } = {}) {
  let running = null;
  let stale = false;
  let stopped = false;

  async function run() {
    do {
      stale = false;
      let value;
      try {
        value = await fetch(obj);
      } catch (err) {
        // A call that lost the race with a newer change is not worth showing.
        if (!stale && !stopped) onError(err);
        continue;
      }
      if (!stale && !stopped) listener(value);
    } while (stale && !stopped);
  }

  function refresh() {
    if (stopped) return Promise.resolve();
    if (running) {
      stale = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  const onChanged = () => refresh();
  const onClosed = () => stop();
  function stop() {
    stopped = true;
    obj.off('changed', onChanged);
    obj.off('closed', onClosed);
  }
  obj.on('changed', onChanged);
  obj.on('closed', onClosed);

  return {
    /** first settles once the first fetch (and its listener or onError) is done. */
    first: refresh(),
    /** refresh fetches again now (coalesced with a fetch in flight). */
    refresh,
    /** stop ends the subscription. */
    stop,
  };
}

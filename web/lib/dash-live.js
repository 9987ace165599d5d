// dash-live: keep one rendering in step with one engine object.
//
// live(obj, fetch, render) fetches the object's data now and again on every
// 'changed', and hands it to render. Two rules keep the page calm:
//   - one fetch at a time: a 'changed' during a fetch marks the data stale,
//     and exactly one more fetch follows (a burst of changes costs two round
//     trips, not one per change);
//   - the previous rendering stays on screen until fresh data replaces it,
//     so there is never an empty frame (no flicker).
// Errors go to onError (shown by the caller, never swallowed); the next
// successful fetch clears them through render.

export function live(obj, fetch, render, { onError = () => {} } = {}) {
  let running = null;
  let stale = false;
  let closed = false;

  async function run() {
    do {
      stale = false;
      let data;
      try {
        data = await fetch(obj);
      } catch (err) {
        // A call that lost the race with a newer change is not worth showing.
        if (!stale && !closed) onError(err);
        continue;
      }
      // Data that a change overtook while in flight is not rendered: the
      // next round brings the current state.
      if (!stale && !closed) render(data);
    } while (stale && !closed);
  }

  function refresh() {
    if (closed) return Promise.resolve();
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
  obj.on('changed', onChanged);
  obj.on('closed', () => {
    closed = true;
  });

  return {
    /** first settles once the first fetch (and its render or error) is done. */
    first: refresh(),
    refresh,
    stop() {
      closed = true;
      obj.off('changed', onChanged);
    },
  };
}

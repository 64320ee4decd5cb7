// The async plumbing of one refresh: the Web Lock, the time limit, the AbortSignal and the call of the
// app's fetchToken. Every decision (adopt or fetch, what the answer means, what a failure does) is
// made by the `flight` object, in Rust.

export function fly(flight, lockName, fetchToken, limitMs, quiet) {
  const controller = new AbortController();
  const stop = (reason) => controller.abort(reason);
  // One limit for the whole flight, the wait for the lock included: a stuck fetch or a stuck holder
  // cannot keep this tab waiting, and an aborted fetch lets the lock go.
  const timer = setTimeout(
    () => stop(new DOMException("the refresh took longer than its time limit", "TimeoutError")),
    limitMs,
  );
  // A page that holds or awaits a lock cannot enter the back/forward cache.
  const hide = () => stop(new DOMException("the page was hidden", "AbortError"));
  globalThis.addEventListener?.("pagehide", hide);
  const aborted = new Promise((_, fail) =>
    controller.signal.addEventListener("abort", () => fail(controller.signal.reason), { once: true }),
  );
  aborted.catch(() => {});
  // Under the lock: the token another tab stored meanwhile, or what fetchToken answers.
  const attempt = async () => {
    const adopted = flight.begin();
    if (adopted !== undefined) return adopted;
    return flight.fetched(await Promise.race([fetchToken(flight.current(), controller.signal), aborted]));
  };
  const locks = globalThis.navigator?.locks;
  const held = locks?.request
    ? locks.request(lockName, { signal: controller.signal }, attempt)
    : Promise.resolve().then(attempt);
  const done = held
    .catch((error) => {
      throw flight.failed(error);
    })
    .finally(() => {
      clearTimeout(timer);
      globalThis.removeEventListener?.("pagehide", hide);
    });
  // Nobody awaits an autoRefresh's flight: its failures are reported by the refreshError event.
  if (quiet) done.catch(() => {});
  return done;
}

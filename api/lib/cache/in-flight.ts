/**
 * A call that one request started and others wait for. On workerd the promises of a request that was cancelled never
 * settle, so waiting on another request's call without a limit could hang every request after it: nobody waits past
 * the call's deadline, and a call past its deadline is presumed dead and replaced.
 */
export interface InFlight<T> {
  promise: Promise<T>;
  deadline: number;
}

export function inFlight<T>(promise: Promise<T>, now: number, lifetimeMs: number): InFlight<T> {
  return { promise, deadline: now + lifetimeMs };
}

export function isAlive(call: InFlight<unknown>, now: number): boolean {
  return now < call.deadline;
}

/** The call's answer, or `fallback` at its deadline; the timer belongs to the waiting request, so it always fires. */
export function waitFor<T>(call: InFlight<T>, now: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(call.deadline - now, 0));
  });
  return Promise.race([call.promise, expired]).finally(() => clearTimeout(timer));
}

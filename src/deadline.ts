/** Why a deadline's signal aborted: its own time ran out, or a signal it follows aborted. */
class DeadlineExceeded extends Error {
  override readonly name = 'TimeoutError';
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the signal aborted because this deadline's own time ran out. */
  readonly expired: boolean;
  /** Clears the timer and stops following the parent. Always call it when the work is done. */
  dispose(): void;
}

/**
 * An abort signal that fires after `timeoutMs`, or as soon as `parent` does, and that is released
 * the moment the work is done. `AbortSignal.timeout` and `AbortSignal.any` would do the same, but
 * their signals and timers live on until the timeout passes or the garbage collector notices:
 * with one per model call and one per request, a service under load holds tens of thousands of
 * them (the benchmark measured RSS growing by 150 MiB a minute). The run's budget, each model
 * call, each tool call and each delegation use it.
 */
export function startDeadline(
  timeoutMs: number,
  parent?: AbortSignal,
  expiredReason: () => Error = () => new DeadlineExceeded(`Deadline of ${timeoutMs} ms exceeded`),
): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent?.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(expiredReason());
  }, timeoutMs);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

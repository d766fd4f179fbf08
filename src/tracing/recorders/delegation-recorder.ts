import type { DelegationInfo } from '../conventions/span-info';
import type { SpanRecorder } from './span-recorder';

/**
 * A call to a remote agent: the HTTP client span of the call and the remote service's spans nest
 * under it, and the call carries our content-capture decision when it is off. Where the naming
 * table gives it no span of its own, `work` runs under the current one (a tool span that already
 * stands for it).
 */
export function traceDelegation<T>(
  recorder: SpanRecorder,
  info: DelegationInfo,
  work: () => Promise<T>,
): Promise<T> {
  const start = recorder.conventions.delegation(info);
  if (!start) return work();
  return recorder.run(start, () => ({}), recorder.passingContentDecision(work));
}

import type { Logger } from 'pino';
import { LIMITS } from '../limits';

/** Kinds of failure remembered at once; past it, the one logged longest ago is forgotten. */
const MAX_KINDS = 16;
/** A kind without a code is its name and message, at most this long. */
const MAX_KIND_LENGTH = 120;

/**
 * What kind of failure an error is: its code (a SQLSTATE such as `22021`, or `ECONNREFUSED`), else
 * its name and message (the driver's `Connection terminated unexpectedly` has no code; ours say
 * which dependency failed and how: `The model API answered 503 Service Unavailable.`).
 */
function failureKindOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_KIND_LENGTH);
}

interface KindLog {
  loggedAt: number;
  suppressed: number;
}

/**
 * A dependency that is down (a database, the model, the sub-agent) fails every request that needs
 * it: the log says `message` once per interval for each kind of failure (`failureKindOf`), with how
 * many of that kind it left out, instead of a line per request. A new kind is logged at once, so
 * that one odd failure never hides an outage that follows it. One per use (memory, feedback, the
 * answers with 5xx), so that each is told.
 */
export function failureLog(
  logger: Logger,
  message: string,
  {
    intervalMs = LIMITS.failureLogIntervalMs,
    now = Date.now,
    level = 'warn',
  }: { intervalMs?: number; now?: () => number; level?: 'warn' | 'error' } = {},
): (error: unknown, operation: string) => void {
  // In the order they were last logged: the first is the one to forget.
  const kinds = new Map<string, KindLog>();
  return (error, operation) => {
    const kind = failureKindOf(error);
    const last = kinds.get(kind);
    if (last && now() - last.loggedAt < intervalMs) {
      last.suppressed += 1;
      return;
    }
    logger[level](
      { err: error, operation, failure: kind, suppressedSinceLast: last?.suppressed ?? 0 },
      message,
    );
    kinds.delete(kind);
    kinds.set(kind, { loggedAt: now(), suppressed: 0 });
    if (kinds.size > MAX_KINDS) kinds.delete(kinds.keys().next().value!);
  };
}

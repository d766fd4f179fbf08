import { z } from 'zod';
import { startDeadline } from '../deadline';
import { LIMITS } from '../limits';

/**
 * One thing the service needs before it is ready to serve: undefined when it has it, else why
 * not, in words of our own (a dependency's error text may carry a URL with its password: it never
 * reaches a probe's answer or a log line).
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): string | undefined | Promise<string | undefined>;
}

export const checkResultSchema = z
  .object({
    name: z
      .string()
      .describe(
        'What is checked: `shutdown` (not draining), `tools` (the MCP tool list is loaded), `memory` (the database answers), `sub_agent` (the sub-agent answers).',
      ),
    status: z.enum(['pass', 'fail']),
    reason: z
      .string()
      .optional()
      .describe("Why it fails, in the service's words: never a dependency's own error text."),
  })
  .strict();

export type CheckResult = z.infer<typeof checkResultSchema>;

/** Runs every check at once; a check that throws fails, with no word of what it threw. */
export async function runChecks(checks: readonly ReadinessCheck[]): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async ({ name, check }): Promise<CheckResult> => {
      let reason: string | undefined;
      try {
        reason = await check();
      } catch {
        reason = 'The check failed.';
      }
      return reason === undefined ? { name, status: 'pass' } : { name, status: 'fail', reason };
    }),
  );
}

/** A dependency answered, but not that it is well: its status is the reason. */
export class UnwellAnswer extends Error {
  override readonly name = 'UnwellAnswer';

  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

/** An error's code (`ECONNREFUSED`, a SQLSTATE such as `28P01`), its cause's, else none. */
function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface DependencyProbeOptions {
  name: string;
  /** What depends on it, as the reason says: `The memory database`. */
  what: string;
  /** Resolves when the dependency answers; the signal aborts at the deadline. */
  probe: (signal: AbortSignal) => Promise<void>;
  timeoutMs?: number;
  cacheMs?: number;
  now?: () => number;
}

/**
 * A dependency asked at most once per `cacheMs` whatever the probes' rate (a kubelet, a load
 * balancer and a person may all ask), by one probe at a time that counts as failed past
 * `timeoutMs`, so that `/readyz` stays cheap and answers within its caller's own timeout. The
 * reason names the error's code at most.
 */
export function dependencyCheck({
  name,
  what,
  probe,
  timeoutMs = LIMITS.readinessCheckTimeoutMs,
  cacheMs = LIMITS.readinessCacheMs,
  now = () => performance.now(),
}: DependencyProbeOptions): ReadinessCheck {
  let last: { at: number; reason: string | undefined } | undefined;
  let inFlight: Promise<string | undefined> | undefined;
  const ask = async (): Promise<string | undefined> => {
    const deadline = startDeadline(timeoutMs);
    const timedOut = new Promise<string>((resolve) =>
      deadline.signal.addEventListener('abort', () =>
        resolve(`${what} did not answer within ${timeoutMs} ms.`),
      ),
    );
    const answered = probe(deadline.signal).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof UnwellAnswer) return `${what} answered ${error.status}.`;
        const code = codeOf(error);
        return `${what} could not be reached${code ? ` (${code})` : ''}.`;
      },
    );
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      deadline.dispose();
    }
  };
  return {
    name,
    check() {
      if (last && now() - last.at < cacheMs) return last.reason;
      inFlight ??= ask().then((reason) => {
        last = { at: now(), reason };
        inFlight = undefined;
        return reason;
      });
      return inFlight;
    },
  };
}

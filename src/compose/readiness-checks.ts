import type { MemoryStore } from '../agent/memory/memory-store';
import { dependencyCheck, UnwellAnswer, type ReadinessCheck } from '../http/readiness';
import { withoutTracing } from '../tracing/without-tracing';

/**
 * The dependencies `/readyz` asks, briefly and at most once a second each
 * (src/http/readiness.ts). Untraced: a probe is no request's work, and would export a root span
 * a second.
 */

/** The memory database answers (with `DATABASE_URL`; memory in the process needs no check). */
export function memoryCheck(memory: MemoryStore): ReadinessCheck[] {
  const ping = memory.ping?.bind(memory);
  if (!ping) return [];
  return [
    dependencyCheck({
      name: 'memory',
      what: 'The memory database',
      probe: () => withoutTracing(ping),
    }),
  ];
}

/** The sub-agent answers its own liveness probe: it can be delegated to. */
export function subAgentCheck(baseUrl: string): ReadinessCheck {
  const livez = new URL('/livez', baseUrl);
  return dependencyCheck({
    name: 'sub_agent',
    what: 'The sub-agent',
    probe: (signal) =>
      withoutTracing(async () => {
        const response = await fetch(livez, { signal });
        await response.body?.cancel();
        if (!response.ok) throw new UnwellAnswer(response.status);
      }),
  });
}

/** A small closed-loop load generator for loopback tests: `concurrency` workers, `total` requests, bounded. */
export interface LoadOutcome {
  statuses: Map<number, number>;
  traceIds: string[];
  latenciesMs: number[];
  failures: string[];
}

export async function sendRequests(
  url: string,
  body: unknown,
  { total, concurrency }: { total: number; concurrency: number },
): Promise<LoadOutcome> {
  const result: LoadOutcome = { statuses: new Map(), traceIds: [], latenciesMs: [], failures: [] };
  let issued = 0;
  const worker = async () => {
    while (issued < total) {
      issued += 1;
      const started = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const payload = (await response.json()) as { trace_id?: string };
        result.latenciesMs.push(performance.now() - started);
        result.statuses.set(response.status, (result.statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 200) result.failures.push(`${response.status} ${JSON.stringify(payload)}`);
        if (payload.trace_id) result.traceIds.push(payload.trace_id);
      } catch (error) {
        result.failures.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

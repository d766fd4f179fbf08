/**
 * What the service under load says of itself on `/metrics`, read while it runs: the event loop's
 * delay, the runs in flight, the refusals by reason. (The tests' own Prometheus reader is in
 * test/support/; the benchmark needs only these few lines.)
 */

export interface MetricsSample {
  atMs: number;
  eventLoopDelayMs: number;
  inFlight: number;
}

const line = (text: string, name: string) =>
  new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];

async function scrape(url: string): Promise<string> {
  try {
    return await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text();
  } catch {
    return '';
  }
}

/** `agent.admission.refusals`, by `agent.admission.refusal_reason`. */
export async function refusalsByReason(url: string): Promise<Record<string, number>> {
  const text = await scrape(url);
  const counts: Record<string, number> = {};
  const pattern = /^agent_admission_refusals_total\{([^}]*)\} (\S+)$/gm;
  for (const [, labels, value] of text.matchAll(pattern)) {
    const reason = /agent_admission_refusal_reason="([^"]+)"/.exec(labels!)?.[1];
    if (reason) counts[reason] = (counts[reason] ?? 0) + Number(value);
  }
  return counts;
}

/** The refusals between two readings of `refusalsByReason`. */
export function refusalsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([reason, count]) => [reason, count - (before[reason] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );
}

/** Reads the gauges once a second until stopped. */
export function sampleServiceMetrics(url: string, everyMs = 1_000) {
  const started = performance.now();
  const samples: MetricsSample[] = [];
  const timer = setInterval(() => {
    void scrape(url).then((text) => {
      const delay = line(text, 'nodejs_eventloop_delay_p90');
      if (delay === undefined) return;
      samples.push({
        atMs: performance.now() - started,
        eventLoopDelayMs: Number(delay) * 1000,
        inFlight: Number(line(text, 'agent_admission_in_flight') ?? 0),
      });
    });
  }, everyMs);
  timer.unref();
  return { samples, stop: () => clearInterval(timer) };
}

import http from 'node:http';

export interface ClosedLoopOptions {
  url: string;
  body: unknown;
  /** Clients, each with one request in flight at a time (and a connection of its own). */
  clients: number;
  /** Until when (`performance.now()`) clients start new requests; those in flight are awaited. */
  untilMs: number;
  headers?: Record<string, string>;
  /**
   * A client told 503 waits the `Retry-After` it was given before asking again, as a well-behaved
   * client does; without it, it asks again at once.
   */
  honourRetryAfter?: boolean;
  /** Each client starts after a random delay up to this, so that they do not start in one burst. */
  rampMs?: number;
}

/** One answered request, as its client saw it. */
export interface Answer {
  /** `performance.now()` when it was sent, and when its answer had fully arrived. */
  startMs: number;
  endMs: number;
  /** 0 when no answer arrived (a reset connection, a socket error). */
  status: number;
  /** The answer's `X-Trace-Id`, for counting its spans. */
  traceId?: string;
  /** False for a client's first request, whose time includes opening its connection. */
  reusedConnection: boolean;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(
  agent: http.Agent,
  url: URL,
  payload: string,
  headers: Record<string, string>,
): Promise<{ status: number; retryAfterS: number; traceId?: string; reused: boolean }> {
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfterS: Number(response.headers['retry-after'] ?? 0),
            traceId: response.headers['x-trace-id'] as string | undefined,
            reused: request.reusedSocket,
          }),
        );
        response.on('error', () => resolve({ status: 0, retryAfterS: 0, reused: false }));
      },
    );
    request.on('error', () => resolve({ status: 0, retryAfterS: 0, reused: false }));
    request.end(payload);
  });
}

/**
 * Closed-loop clients: each sends a request, waits for its answer, and sends the next, so the load
 * follows the service's pace (Little's law: clients = throughput × time per request). autocannon
 * does the same, but records neither each answer's time nor `Retry-After`, which the real-latency
 * scenario needs. Every client keeps one connection (keep-alive), as a pool of callers would.
 */
export async function closedLoop({
  url,
  body,
  clients,
  untilMs,
  headers = {},
  honourRetryAfter = false,
  rampMs = 0,
}: ClosedLoopOptions): Promise<Answer[]> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const answers: Answer[] = [];
  const client = async () => {
    if (rampMs > 0) await delay(Math.random() * rampMs);
    while (performance.now() < untilMs) {
      const startMs = performance.now();
      const { status, retryAfterS, traceId, reused } = await send(agent, target, payload, headers);
      answers.push({
        startMs,
        endMs: performance.now(),
        status,
        traceId,
        reusedConnection: reused,
      });
      if (status === 0) await delay(100);
      else if (status === 503 && honourRetryAfter && retryAfterS > 0)
        await delay(retryAfterS * 1000);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  return answers;
}

/** The value below which `share` of the sorted values fall (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

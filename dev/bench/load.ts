import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  body: unknown;
  connections: number;
  /** How long to run; or `amount`: how many requests, all answered before it returns. */
  durationSeconds?: number;
  amount?: number;
  /** Requests per second for the whole run; unset for as fast as the service answers. */
  overallRate?: number;
  /**
   * Requests each connection sends without waiting for the answers (HTTP/1.1 pipelining); default
   * 1.
   */
  pipelining?: number;
  /**
   * A new body for each request (e.g. a new session each time), instead of `body`. (autocannon's
   * own `[<id>]` replacement keeps the template's Content-Length, and the server waits for bytes.)
   */
  bodyOf?: () => unknown;
  /** Called with each response body (e.g. to collect trace ids). */
  onBody?: (body: string) => void;
  /** Headers beside `content-type`, e.g. an API key. */
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Requests written, answered or not. */
  sent: number;
  ok: number;
  failed: number;
  /** Answers by status, e.g. `{ "200": 12, "503": 340 }`. */
  statusCounts: Record<string, number>;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A closed-loop load from autocannon, at a fixed number of connections, against one endpoint. Used
 * by the benchmark and the stress test.
 */
export async function runLoad({
  url,
  body,
  connections,
  durationSeconds,
  amount,
  overallRate,
  pipelining = 1,
  bodyOf,
  onBody,
  headers = {},
}: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    pipelining,
    ...(amount ? { amount } : { duration: durationSeconds }),
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(bodyOf
          ? {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                body: JSON.stringify(bodyOf()),
              }),
            }
          : {}),
        ...(onBody
          ? { onResponse: (_status: number, responseBody: string) => onBody(responseBody) }
          : {}),
      },
    ],
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]),
  );
  return {
    sent: result.requests.sent,
    ok,
    failed,
    statusCounts,
    durationSeconds: result.duration,
    requestsPerSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

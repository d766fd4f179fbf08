import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** JSON-RPC methods that change nothing on the server: sending one twice is harmless. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'notifications/initialized',
  'ping',
  'tools/list',
]);

/** HTTP methods that carry no JSON-RPC message: the SDK's event stream and session end. */
const IDEMPOTENT_HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'DELETE']);

/**
 * Failures while connecting: the request never left this process, whatever it was. (undici names
 * them in the `cause` of fetch's "fetch failed".)
 */
const NOT_SENT: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * The connection broke with no answer: the server may have read the request, or closed the
 * connection as idle the moment it was sent (RFC 9112 §9.3.1), and nobody can tell which.
 */
const BROKEN_CONNECTION: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

interface UndiciCause {
  code?: unknown;
  /** undici's `SocketError` says what went over the connection, over its whole life. */
  socket?: { bytesWritten?: unknown };
}

export interface SentRequest {
  /** The JSON-RPC methods in the body; empty when there is none (or it is not JSON-RPC). */
  methods: readonly string[];
  httpMethod: string;
}

/**
 * May a request that failed with `error` be sent once more? Yes when it provably never reached the
 * server (refused, or a connection closed before a byte of it was written); and, on a broken
 * connection, when sending it twice is harmless (`initialize`, `tools/list`). Never for a
 * `tools/call` that may have run: the model sees that failure and decides.
 */
export function mayRetry({ methods, httpMethod }: SentRequest, error: unknown): boolean {
  const cause = (error as { cause?: UndiciCause } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (!code) return false;
  if (NOT_SENT.has(code)) return true;
  if (code === 'UND_ERR_SOCKET' && cause?.socket?.bytesWritten === 0) return true;
  const idempotent = methods.length
    ? methods.every((method) => IDEMPOTENT_METHODS.has(method))
    : IDEMPOTENT_HTTP_METHODS.has(httpMethod);
  return idempotent && BROKEN_CONNECTION.has(code);
}

function methodsOf(body: unknown): string[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(body);
    const messages: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    const methods = messages.map((message) => (message as { method?: unknown } | null)?.method);
    // A response to the server (no method) is not something to send twice.
    return methods.every((method) => typeof method === 'string') ? (methods as string[]) : ['?'];
  } catch {
    return ['?'];
  }
}

/**
 * The MCP transport's `fetch`, sending a request once more where `mayRetry` allows, at once and on
 * a new connection (undici drops a broken one). A service that stops closes its idle keep-alive
 * connections; a client that sent a request on one at that moment gets a reset, not an answer.
 */
export function fetchRetryingOnce(send: FetchLike = (url, init) => fetch(url, init)): FetchLike {
  return async (url, init) => {
    try {
      return await send(url, init);
    } catch (error) {
      const request = { methods: methodsOf(init?.body), httpMethod: init?.method ?? 'GET' };
      if (init?.signal?.aborted || !mayRetry(request, error)) throw error;
      return send(url, init);
    }
  };
}

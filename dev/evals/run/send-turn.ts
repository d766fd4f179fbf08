import type { Turn } from '../dataset/case-schema';

export interface TurnAnswer {
  status: number;
  /** The JSON body, or the text of one that is not JSON. */
  body: unknown;
  traceId: string | undefined;
}

/** Attempts after a transport failure, and the wait before the first (doubled for the next). */
const TRANSPORT_RETRIES = 2;
const RETRY_DELAY_MS = 250;

/**
 * A turn's body, its user and session made the case's own (`namespace.user`): a case's memory
 * must not meet another case's, nor an earlier experiment's on a long-running target.
 */
export function bodyOf(turn: Turn, namespace: string): unknown {
  if (turn.body) return turn.body;
  const scoped = (id: string | undefined) => (id === undefined ? undefined : `${namespace}.${id}`);
  return {
    task: turn.task,
    user_id: scoped(turn.user_id),
    session_id: scoped(turn.session_id),
    max_steps: turn.max_steps,
  };
}

/**
 * POSTs one execute request. Only a transport failure (no answer at all: a refused or reset
 * connection) is tried again; an answer, whatever its status, is the outcome being evaluated.
 */
export async function sendTurn(
  agentUrl: string,
  body: unknown,
  { signal, apiKey }: { signal: AbortSignal; apiKey?: string },
): Promise<TurnAnswer> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(`${agentUrl}/api/v1/agent/execute`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal,
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: the text is the body.
      }
      const traceId =
        (parsed as { trace_id?: unknown } | null)?.trace_id ?? response.headers.get('x-trace-id');
      return {
        status: response.status,
        body: parsed,
        traceId: typeof traceId === 'string' ? traceId : undefined,
      };
    } catch (error) {
      // fetch fails with a TypeError when no answer came (by name: it may come from another
      // realm, as under Jest); an abort is the case's deadline.
      const noAnswer = (error as Error | undefined)?.name === 'TypeError';
      if (signal.aborted || !noAnswer || attempt >= TRANSPORT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * 2 ** attempt));
    }
  }
}

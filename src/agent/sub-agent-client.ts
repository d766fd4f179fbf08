import { createHash } from 'node:crypto';
import { UpstreamError } from '../errors';
import { SUB_AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { startDeadline, type Deadline } from '../deadline';
import { stopReasonOf } from './run-budget';
import { LIMITS } from '../limits';
import { executeResponseSchema, type ExecuteResponse } from './execute-response';

export type SubAgentErrorType =
  | 'subagent_unreachable'
  | 'subagent_timeout'
  | 'subagent_failed'
  | 'subagent_bad_response'
  | 'subagent_overloaded';

export class SubAgentError extends UpstreamError<SubAgentErrorType, { retryAfter?: string }> {
  override readonly name = 'SubAgentError';
}

export interface SubAgentRequest {
  task: string;
  user_id?: string;
  session_id?: string;
  max_steps?: number;
}

export interface SubAgentClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer`, when the sub-agent requires a key. */
  apiKey?: string;
  /** The sub-agent's name, for the spans of calls to it (`gen_ai.agent.name`): ours by default. */
  agentName?: string;
}

/**
 * Names the caller on whose behalf a service calls the sub-agent: an opaque, non-secret id (a
 * digest prefix of its caller's API key, never the key). The sub-agent scopes memory by its own
 * authenticated caller and this id, so the agent's callers stay apart, and a direct client of the
 * sub-agent can only name tenants inside its own key's scope.
 */
export const ON_BEHALF_OF_HEADER = 'x-on-behalf-of';

/**
 * The scope as the sub-agent is told it. A scope is our caller's id and the tenant it named, so it
 * can be longer than the header the sub-agent takes (`LIMITS.maxOnBehalfOfLength`): such a scope
 * is passed on as its digest, the same for the same scope, and never the form of another (an
 * unnested scope has no `/`, and no caller id is `sha256:`). Before, the sub-agent refused it, and
 * every delegation of that caller failed with 502.
 */
function onBehalfOfHeader(scope: string): string {
  if (scope.length <= LIMITS.maxOnBehalfOfLength) return scope;
  return `sha256:${createHash('sha256').update(scope).digest('hex')}`;
}

export interface SubAgentCallOptions {
  /** Aborted when our own caller goes away. */
  signal?: AbortSignal;
  /** The memory scope of our own caller (see `ON_BEHALF_OF_HEADER`); none when we are open. */
  onBehalfOf?: string;
}

const MAX_ERROR_DETAIL = LIMITS.subAgentErrorDetailChars;

/**
 * Calls the sub-agent service over HTTP with global `fetch`. No tracing header is set here: the
 * undici instrumentation makes the CLIENT span and the propagators inject B3, `traceparent` and
 * baggage into it.
 */
export class SubAgentClient {
  readonly endpoint: URL;
  readonly agentName: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor({
    baseUrl,
    timeoutMs,
    apiKey,
    agentName = SUB_AGENT_SERVICE_DEFAULTS.agentName,
  }: SubAgentClientOptions) {
    this.endpoint = new URL('/api/v1/execute', baseUrl);
    this.agentName = agentName;
    this.timeoutMs = timeoutMs;
    this.headers = {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    };
  }

  async execute(
    request: SubAgentRequest,
    { signal, onBehalfOf }: SubAgentCallOptions = {},
  ): Promise<ExecuteResponse> {
    const deadline = startDeadline(this.timeoutMs, signal);
    const headers = onBehalfOf
      ? { ...this.headers, [ON_BEHALF_OF_HEADER]: onBehalfOfHeader(onBehalfOf) }
      : this.headers;
    try {
      return await this.call(request, headers, deadline);
    } finally {
      deadline.dispose();
    }
  }

  private async call(
    request: SubAgentRequest,
    headers: Record<string, string>,
    deadline: Deadline,
  ): Promise<ExecuteResponse> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
        signal: deadline.signal,
      });
    } catch (error) {
      throw this.transportError(error, deadline);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (deadline.signal.aborted) throw this.transportError(error, deadline);
      // A proxy's HTML error page is still the sub-agent failing, not a malformed answer.
      if (!response.ok)
        throw new SubAgentError('subagent_failed', `The sub-agent answered ${response.status}.`, {
          status: response.status,
        });
      throw new SubAgentError(
        'subagent_bad_response',
        `The sub-agent answered ${response.status} with a body that is not JSON.`,
        {
          cause: error,
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      const { message: detail, code } =
        (body as { error?: { message?: unknown; code?: unknown } })?.error ?? {};
      const suffix = typeof detail === 'string' ? `: ${detail.slice(0, MAX_ERROR_DETAIL)}` : '.';
      // Shed by the sub-agent's own bound: the caller should come back later, not see a failure.
      if (response.status === 503 && code === 'overloaded') {
        throw new SubAgentError('subagent_overloaded', `The sub-agent is overloaded${suffix}`, {
          status: response.status,
          retryAfter: response.headers.get('retry-after') ?? undefined,
        });
      }
      throw new SubAgentError(
        'subagent_failed',
        `The sub-agent answered ${response.status}${suffix}`,
        { status: response.status },
      );
    }
    const parsed = executeResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new SubAgentError(
        'subagent_bad_response',
        'The sub-agent answered 200 with a body that is not an agent response.',
        {
          status: response.status,
        },
      );
    }
    return parsed.data;
  }

  /**
   * Our deadline passed, our caller went away (or was cut by shutdown), or the sub-agent could not
   * be reached at all.
   */
  private transportError(error: unknown, deadline: Deadline): Error {
    if (deadline.expired) {
      return new SubAgentError(
        'subagent_timeout',
        `The sub-agent did not answer within ${this.timeoutMs} ms.`,
        { cause: error },
      );
    }
    if (deadline.signal.aborted)
      return stopReasonOf(
        deadline.signal,
        'The client closed the connection before the sub-agent answered.',
      );
    const reason =
      (error as { cause?: { code?: string } })?.cause?.code ??
      (error as Error)?.message ??
      'unknown error';
    return new SubAgentError(
      'subagent_unreachable',
      `The sub-agent at ${this.endpoint.origin} could not be reached (${reason}).`,
      {
        cause: error,
      },
    );
  }
}

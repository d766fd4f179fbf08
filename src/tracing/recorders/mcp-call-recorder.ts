import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { McpSide } from '../agent-metrics';
import { serverAttributes } from '../conventions/shared';
import * as semconv from '../semconv';
import { measured, type SpanRecorder } from './span-recorder';

/** An MCP `tools/call`, on either side. */
export interface McpToolCallInfo {
  toolName: string;
  /**
   * False for a tool the server does not have: the name comes from the client, and must not
   * become a new span name or time series each time (it is `unknown`).
   */
  known?: boolean;
  /** The MCP server's endpoint (client side), for `server.address` / `server.port`. */
  endpoint?: URL;
}

/** What is known of an MCP request only once it is sent or received. */
export interface McpRequestDetails {
  requestId?: string | number;
  sessionId?: string;
  protocolVersion?: string;
}

/** What an MCP call tells its span (`tools/call {tool}`). */
export interface McpCallRecording {
  /** `jsonrpc.request.id`, `mcp.session.id`, `mcp.protocol.version`, as soon as they are known. */
  request(details: McpRequestDetails): void;
}

/** The part of an MCP `tools/call` result that says whether the tool failed. */
interface McpResultLike {
  isError?: boolean;
}

type McpWork<T> = (call: McpCallRecording) => Promise<T> | T;

/**
 * The caller's side of an MCP `tools/call` (MCP semantic conventions): a CLIENT span named
 * `tools/call {tool}`. The HTTP client span of the request, and the server's spans, nest under
 * it.
 */
export function traceMcpClientCall<T extends McpResultLike>(
  recorder: SpanRecorder,
  info: McpToolCallInfo,
  work: McpWork<T>,
): Promise<T> {
  const start = { name: spanName(info), kind: SpanKind.CLIENT, attributes: {} };
  const recorded = () => ({
    attributes: { ...mcpAttributes(info), ...serverAttributes(info.endpoint) },
  });
  return measuredMcpCall(recorder, 'client', info, () =>
    recorder.run(start, recorded, (span) => failOnToolError(recorder, span, work)),
  );
}

/**
 * The server's side of an MCP `tools/call`: a SERVER span under `parent` (the context the client
 * sent in `params._meta`, else the HTTP request's). When the two differ, the span links the
 * HTTP server span, so neither path is lost.
 */
export function traceMcpServerCall<T extends McpResultLike>(
  recorder: SpanRecorder,
  info: McpToolCallInfo,
  parent: Context,
  work: McpWork<T>,
): Promise<T> {
  const httpSpan = trace.getSpanContext(context.active());
  const links: Link[] =
    httpSpan && httpSpan.spanId !== trace.getSpanContext(parent)?.spanId
      ? [{ context: httpSpan }]
      : [];
  const start = { name: spanName(info), kind: SpanKind.SERVER, attributes: {}, links };
  return measuredMcpCall(recorder, 'server', info, () =>
    context.with(parent, () =>
      recorder.run(
        start,
        () => ({ attributes: mcpAttributes(info) }),
        (span) => failOnToolError(recorder, span, work),
      ),
    ),
  );
}

const boundedName = ({ toolName, known }: McpToolCallInfo) =>
  known === false ? semconv.UNKNOWN_TOOL_NAME : toolName;

const spanName = (info: McpToolCallInfo) =>
  semconv.spanNameForMcpCall(semconv.MCP_METHOD_TOOLS_CALL, boundedName(info));

function mcpAttributes(info: McpToolCallInfo): Record<string, unknown> {
  return {
    [semconv.ATTR_MCP_METHOD_NAME]: semconv.MCP_METHOD_TOOLS_CALL,
    [semconv.ATTR_GEN_AI_TOOL_NAME]: boundedName(info),
    [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
    [semconv.ATTR_NETWORK_TRANSPORT]: semconv.NETWORK_TRANSPORT_TCP,
    [semconv.ATTR_NETWORK_PROTOCOL_NAME]: semconv.NETWORK_PROTOCOL_HTTP,
  };
}

/**
 * `mcp.{client,server}.operation.duration`: a result with `isError` counts as failed, as on the
 * span.
 */
function measuredMcpCall<T extends McpResultLike>(
  recorder: SpanRecorder,
  side: McpSide,
  info: McpToolCallInfo,
  work: () => Promise<T>,
): Promise<T> {
  const call = { method: semconv.MCP_METHOD_TOOLS_CALL, toolName: boundedName(info) };
  return measured(work, (seconds, outcome, result) =>
    recorder.metrics.recordMcpCall(side, call, seconds, {
      errorType: result?.isError ? semconv.MCP_ERROR_TYPE_TOOL_ERROR : outcome.errorType,
    }),
  );
}

/**
 * A result with `isError` is a failed call, though no exception was thrown: `error.type` =
 * `tool_error`.
 */
async function failOnToolError<T extends McpResultLike>(
  recorder: SpanRecorder,
  span: Span,
  work: McpWork<T>,
): Promise<T> {
  const result = await work({
    request: ({ requestId, sessionId, protocolVersion }) =>
      recorder.set(span, {
        attributes: {
          [semconv.ATTR_JSONRPC_REQUEST_ID]:
            requestId === undefined ? undefined : String(requestId),
          [semconv.ATTR_MCP_SESSION_ID]: sessionId,
          [semconv.ATTR_MCP_PROTOCOL_VERSION]: protocolVersion,
        },
      }),
  });
  if (result?.isError) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: semconv.MCP_ERROR_TYPE_TOOL_ERROR });
    span.setAttribute(semconv.ATTR_ERROR_TYPE, semconv.MCP_ERROR_TYPE_TOOL_ERROR);
  }
  return result;
}

import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import {
  BAGGAGE_CONTENT_CAPTURE,
  CONTENT_CAPTURE_OFF,
  isContentCaptureOffUpstream,
  withBaggage,
} from './baggage';
import { AgentMetrics, type McpSide, type Outcome } from './agent-metrics';
import { redactContent } from './redact-text';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH, sanitizeAttributes, toAttributeValue } from './sanitize';
import * as semconv from './semconv';
import { errorTypeOf, withSpan, type FailureOptions } from './with-span';
import type { GenAiConventions, OutputMessage, SpanStart } from './conventions/conventions';
import { serverAttributes } from './conventions/shared';
import type {
  AgentStepInfo,
  DelegationInfo,
  LlmCallInfo,
  McpCallInfo,
  MemoryOperationInfo,
  MemoryOutcome,
  StreamProgress,
  TaskSpanInfo,
  ToolCallInfo,
} from './conventions/span-info';
import { WORKSHOP_CONVENTIONS } from './conventions/workshop';

export interface AgentTracerOptions {
  /**
   * Record task text, prompts, model output, tool arguments and results. Off by default: they may
   * hold personal data. On is only this service's half of the decision: see `capturesContent`.
   */
  captureContent?: boolean;
  /** Upper bound for any string attribute we record. */
  maxAttributeLength?: number;
  tracer?: Tracer;
  /** Where durations and outcomes are recorded; by default on the global MeterProvider. */
  metrics?: AgentMetrics;
  /** The names spans and metrics carry (see conventions/conventions.ts); the workshop's by default. */
  conventions?: GenAiConventions;
}

/** A user's verdict on a run, as the GenAI convention's evaluation result. */
export interface FeedbackInfo {
  /** The agent that made the run, for the score metric. */
  agentName: string;
  name: string;
  score?: number;
  label?: string;
  /** Free text: recorded only with content capture, redacted. */
  comment?: string;
}

/** What is known of an MCP request only once it is sent or received. */
export interface McpRequestDetails {
  requestId?: string | number;
  sessionId?: string;
  protocolVersion?: string;
}

/** The part of an MCP `tools/call` result that says whether the tool failed. */
interface McpResultLike {
  isError?: boolean;
}

type Work<T> = (span: Span) => Promise<T> | T;

/**
 * Runs `work`, then reports its duration in seconds and how it ended, whether it returned or threw.
 */
async function measured<T>(
  work: () => Promise<T>,
  report: (durationSeconds: number, outcome: Outcome, result?: T) => void,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    report((performance.now() - started) / 1000, {}, result);
    return result;
  } catch (error) {
    report((performance.now() - started) / 1000, { errorType: errorTypeOf(error) });
    throw error;
  }
}

/**
 * The agent's tracing API, after the workshop's `AgentTracer`: one method per kind of agent work,
 * each running the work as the active span (see `withSpan` for the failure contract).
 */
export class AgentTracer {
  readonly captureContent: boolean;
  /** The metrics API: what the spans measure is recorded there too, sampled or not. */
  readonly metrics: AgentMetrics;
  /** The naming table: which names each span and metric carries. */
  readonly conventions: GenAiConventions;
  private readonly maxAttributeLength: number;
  private readonly tracer: Tracer;

  constructor({
    captureContent = false,
    maxAttributeLength = DEFAULT_MAX_ATTRIBUTE_LENGTH,
    tracer,
    metrics,
    conventions = WORKSHOP_CONVENTIONS,
  }: AgentTracerOptions = {}) {
    this.captureContent = captureContent;
    this.conventions = conventions;
    this.metrics = metrics ?? new AgentMetrics(undefined, conventions.metrics);
    this.maxAttributeLength = maxAttributeLength;
    this.tracer = tracer ?? trace.getTracer('traced-agent');
  }

  /** `stoppedReasonOf` says how a run that returned ended, for the runs counter. */
  traceTask<T>(
    info: TaskSpanInfo,
    work: Work<T>,
    stoppedReasonOf?: (result: T) => string,
  ): Promise<T> {
    const span = this.span(
      this.conventions.task(info),
      () => ({
        [semconv.ATTR_GEN_AI_AGENT_DESCRIPTION]: info.agentDescription,
        [semconv.ATTR_GEN_AI_CONVERSATION_ID]: info.sessionId,
        [semconv.ATTR_USER_ID]: info.userId,
        [semconv.ATTR_AGENT_MAX_STEPS]: info.maxSteps,
        ...this.contents({
          [semconv.ATTR_GEN_AI_INPUT_MESSAGES]: [
            { role: 'user', parts: [{ type: 'text', content: info.task }] },
          ],
          ...this.conventions.systemInstructions(info.systemInstruction),
        }),
      }),
      this.passingContentDecision(work),
    );
    return measured(
      () => span,
      (seconds, outcome, result) =>
        this.metrics.recordRun(seconds, {
          ...outcome,
          agentName: info.agentName,
          requestModel: info.requestModel,
          stoppedReason: result !== undefined ? stoppedReasonOf?.(result) : undefined,
        }),
    );
  }

  traceLlmCall<T>(info: LlmCallInfo, work: Work<T>): Promise<T> {
    return measured(
      () => this.llmSpan(info, work),
      (seconds, outcome) => this.metrics.recordModelCall(info, seconds, outcome),
    );
  }

  private llmSpan<T>(info: LlmCallInfo, work: Work<T>): Promise<T> {
    return this.span(
      this.conventions.inference(info),
      () => ({
        [semconv.ATTR_AGENT_STEP_NUMBER]: info.stepNumber,
        ...this.contents({
          [semconv.ATTR_GEN_AI_INPUT_MESSAGES]: info.inputMessages,
          ...this.conventions.systemInstructions(info.systemInstruction),
        }),
      }),
      work,
    );
  }

  traceToolCall<T>(info: ToolCallInfo, work: Work<T>): Promise<T> {
    const attributes = () => ({
      [semconv.ATTR_GEN_AI_TOOL_CALL_ID]: info.callId,
      [semconv.ATTR_GEN_AI_TOOL_DESCRIPTION]: info.description,
      [semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: this.content(info.arguments),
    });
    // Made-up tool names must multiply neither span names nor time series.
    const boundedName = info.known === false ? semconv.UNKNOWN_TOOL_NAME : info.toolName;
    // A tool's error message may quote its arguments: with content capture off, the span says only
    // what failed.
    const failure = this.capturesContent()
      ? {}
      : { describe: (error: unknown) => `${info.toolName} failed (${errorTypeOf(error)})` };
    const tracedWork = () =>
      this.span(
        this.conventions.tool({ ...info, boundedName }),
        attributes,
        async (span) => {
          const started = performance.now();
          let succeeded = false;
          try {
            const result = await work(span);
            succeeded = true;
            return result;
          } finally {
            span.setAttribute(semconv.ATTR_TOOL_SUCCESS, succeeded);
            span.setAttribute(
              semconv.ATTR_TOOL_DURATION_MS,
              Math.round((performance.now() - started) * 100) / 100,
            );
          }
        },
        failure,
      );
    const toolMetric = {
      toolName: boundedName,
      toolType: semconv.GEN_AI_TOOL_TYPE_FUNCTION,
      agentName: info.agentName,
    };
    return measured(tracedWork, (seconds, outcome) =>
      this.metrics.recordToolCall(toolMetric, seconds, outcome),
    );
  }

  traceAgentStep<T>(info: AgentStepInfo, work: Work<T>): Promise<T> {
    const attributes = () => ({
      [semconv.ATTR_AGENT_STEP_NUMBER]: info.stepNumber,
      [semconv.ATTR_AGENT_STEP_TYPE]: info.stepType,
    });
    return this.span(this.conventions.step(info), attributes, work);
  }

  traceMemoryOperation<T>(info: MemoryOperationInfo, work: Work<T>): Promise<T> {
    const attributes = () => ({
      [semconv.ATTR_MEMORY_TYPE]: info.memoryType,
      [semconv.ATTR_MEMORY_BACKEND]: info.backend,
    });
    return this.span(this.conventions.memory(info), attributes, work);
  }

  /** What a memory operation did: records found, written or erased, and those used. */
  recordMemoryOutcome(span: Span, info: MemoryOperationInfo, outcome: MemoryOutcome): void {
    this.setAttributes(span, this.conventions.memoryOutcome(info, outcome));
  }

  /** Content: what a memory search looked for, and the records it gave the model. */
  recordMemoryContent(span: Span, query: string, records: readonly unknown[]): void {
    this.setContents(span, this.conventions.memoryContent(query, records));
  }

  /** How a streamed model call went: its chunks, and how long the first took. */
  recordStream(span: Span, progress: StreamProgress): void {
    this.setAttributes(span, this.conventions.stream(progress));
  }

  /** Content: the answer of a model call or of the run, and why it ended. */
  recordOutput(span: Span, message: OutputMessage, finishReason: string): void {
    this.recordContent(
      span,
      semconv.ATTR_GEN_AI_OUTPUT_MESSAGES,
      this.conventions.outputMessages(message, finishReason),
    );
  }

  /**
   * A call to a remote agent: the HTTP client span of the call and the remote service's spans nest
   * under it. Where the naming table gives it no span of its own, `work` runs under the current
   * one (a tool span that already stands for it).
   */
  traceDelegation<T>(info: DelegationInfo, work: () => Promise<T>): Promise<T> {
    const start = this.conventions.delegation(info);
    if (!start) return work();
    return this.span(start, () => ({}), this.passingContentDecision(work));
  }

  /**
   * The caller's side of an MCP `tools/call` (MCP semantic conventions): a CLIENT span named
   * `tools/call {tool}`. The HTTP client span of the request, and the server's spans, nest under
   * it.
   */
  traceMcpClientCall<T extends McpResultLike>(info: McpCallInfo, work: Work<T>): Promise<T> {
    const start = {
      name: semconv.spanNameForMcpCall(info.method, info.toolName),
      kind: SpanKind.CLIENT,
      attributes: {},
    };
    const attributes = () => ({ ...this.mcpAttributes(info), ...serverAttributes(info.endpoint) });
    return this.measuredMcpCall('client', info, () =>
      this.span(start, attributes, (span) => this.failOnToolError(span, work)),
    );
  }

  /**
   * The server's side of an MCP `tools/call`: a SERVER span under `parent` (the context the client
   * sent in `params._meta`, else the HTTP request's). When the two differ, the span links the
   * HTTP server span, so neither path is lost.
   */
  traceMcpServerCall<T extends McpResultLike>(
    info: McpCallInfo,
    parent: Context,
    work: Work<T>,
  ): Promise<T> {
    const httpSpan = trace.getSpanContext(context.active());
    const links: Link[] =
      httpSpan && httpSpan.spanId !== trace.getSpanContext(parent)?.spanId
        ? [{ context: httpSpan }]
        : [];
    const name = semconv.spanNameForMcpCall(info.method, info.toolName);
    return this.measuredMcpCall('server', info, () =>
      context.with(parent, () =>
        withSpan(this.tracer, name, { kind: SpanKind.SERVER, links }, (span) => {
          if (span.isRecording()) span.setAttributes(this.attributes(this.mcpAttributes(info)));
          return this.failOnToolError(span, work);
        }),
      ),
    );
  }

  /** A result with `isError` counts as failed (`tool_error`), as on the span. */
  private measuredMcpCall<T extends McpResultLike>(
    side: McpSide,
    info: McpCallInfo,
    work: () => Promise<T>,
  ): Promise<T> {
    return measured(work, (seconds, outcome, result) =>
      this.metrics.recordMcpCall(side, info, seconds, {
        errorType: result?.isError ? semconv.MCP_ERROR_TYPE_TOOL_ERROR : outcome.errorType,
      }),
    );
  }

  /** `jsonrpc.request.id`, `mcp.session.id`, `mcp.protocol.version`, as soon as they are known. */
  setMcpRequestDetails(
    span: Span,
    { requestId, sessionId, protocolVersion }: McpRequestDetails,
  ): void {
    this.setAttributes(span, {
      [semconv.ATTR_JSONRPC_REQUEST_ID]: requestId === undefined ? undefined : String(requestId),
      [semconv.ATTR_MCP_SESSION_ID]: sessionId,
      [semconv.ATTR_MCP_PROTOCOL_VERSION]: protocolVersion,
    });
  }

  /**
   * Records feedback on an earlier run as a span in that run's trace, parented on its `agent.task`
   * (`run`), so the feedback shows with the run; the span links the current span (the feedback
   * request's), which is in a trace of its own. Sampled as the run was: a run not kept gets no
   * feedback span either; the score is counted in the score metric (by evaluation name and agent)
   * all the same.
   */
  recordFeedback(run: SpanContext, feedback: FeedbackInfo): void {
    if (feedback.score !== undefined)
      this.metrics.recordFeedbackScore(feedback.agentName, feedback.name, feedback.score);
    const current = trace.getActiveSpan()?.spanContext();
    const span = this.tracer.startSpan(
      semconv.SPAN_AGENT_FEEDBACK,
      { kind: SpanKind.INTERNAL, links: current ? [{ context: current }] : [] },
      // Under the run's span, with the baggage of the current request (correlation id, user).
      trace.setSpanContext(context.active(), run),
    );
    this.addEvent(span, semconv.EVENT_GEN_AI_EVALUATION_RESULT, {
      [semconv.ATTR_GEN_AI_EVALUATION_NAME]: feedback.name,
      [semconv.ATTR_GEN_AI_EVALUATION_SCORE_VALUE]: feedback.score,
      [semconv.ATTR_GEN_AI_EVALUATION_SCORE_LABEL]: feedback.label,
      [semconv.ATTR_GEN_AI_EVALUATION_EXPLANATION]:
        feedback.comment !== undefined && this.capturesContent()
          ? redactContent(feedback.comment)
          : undefined,
    });
    span.end();
  }

  /**
   * The one way our code changes a span: the span is always named (never "whatever span is active",
   * which moves as the work nests), attributes and events are sanitized, and nothing is computed
   * for a span that is not recorded (sampled out).
   */
  addEvent(span: Span, name: string, attributes: Record<string, unknown> = {}): void {
    if (span.isRecording()) span.addEvent(name, this.attributes(attributes));
  }

  /** Sanitized attributes on `span` (see `addEvent`). */
  setAttributes(span: Span, attributes: Record<string, unknown>): void {
    if (span.isRecording()) span.setAttributes(this.attributes(attributes));
  }

  /**
   * Whether content is recorded for the current request: only when this service's setting is on
   * and no service upstream said it records none. Capture can get stricter downstream, never laxer.
   */
  capturesContent(): boolean {
    return this.captureContent && !isContentCaptureOffUpstream(context.active());
  }

  /** Records message content on a span, only when content capture is on. */
  recordContent(span: Span, key: string, content: unknown): void {
    if (!this.capturesContent() || !span.isRecording()) return;
    const value = toAttributeValue(key, redactContent(content), this.maxAttributeLength);
    if (value !== undefined) span.setAttribute(key, value);
  }

  /**
   * The naming table's start attributes (those a sampler may need, a few short strings) go with
   * the span's creation; the others are computed and sanitized only when the span is recorded:
   * with 10% sampling, nine requests in ten pay nothing for them.
   */
  private span<T>(
    start: SpanStart,
    attributes: () => Record<string, unknown>,
    work: Work<T>,
    failure: FailureOptions = {},
  ): Promise<T> {
    const options = { kind: start.kind, attributes: this.attributes(start.attributes) };
    const recorded = (span: Span) => {
      if (span.isRecording()) span.setAttributes(this.attributes(attributes()));
      return work(span);
    };
    return withSpan(this.tracer, start.name, options, recorded, failure);
  }

  private mcpAttributes(info: McpCallInfo): Record<string, unknown> {
    return {
      [semconv.ATTR_MCP_METHOD_NAME]: info.method,
      [semconv.ATTR_GEN_AI_TOOL_NAME]: info.toolName,
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
      [semconv.ATTR_NETWORK_TRANSPORT]: semconv.NETWORK_TRANSPORT_TCP,
      [semconv.ATTR_NETWORK_PROTOCOL_NAME]: semconv.NETWORK_PROTOCOL_HTTP,
    };
  }

  /**
   * A result with `isError` is a failed call, though no exception was thrown: `error.type` =
   * `tool_error`.
   */
  private async failOnToolError<T extends McpResultLike>(span: Span, work: Work<T>): Promise<T> {
    const result = await work(span);
    if (result?.isError) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: semconv.MCP_ERROR_TYPE_TOOL_ERROR });
      span.setAttribute(semconv.ATTR_ERROR_TYPE, semconv.MCP_ERROR_TYPE_TOOL_ERROR);
    }
    return result;
  }

  /**
   * Content is free text: secrets pasted into it (`password=…`, bearer tokens, API keys) are
   * redacted too.
   */
  private content(value: unknown): unknown {
    return this.capturesContent() && value !== undefined ? redactContent(value) : undefined;
  }

  /** `content` for each value: all of them recorded, or none. */
  private contents(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, this.content(value)]),
    );
  }

  private setContents(span: Span, values: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(values)) this.recordContent(span, key, value);
  }

  /** Runs `work` so that the calls it makes to other services carry our decision when it is off. */
  private passingContentDecision<T>(work: Work<T>): Work<T> {
    return (span) =>
      this.capturesContent()
        ? work(span)
        : withBaggage({ [BAGGAGE_CONTENT_CAPTURE]: CONTENT_CAPTURE_OFF }, () => work(span));
  }

  private attributes(attributes: Record<string, unknown>) {
    return sanitizeAttributes(attributes, this.maxAttributeLength);
  }
}

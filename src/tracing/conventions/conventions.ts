import type { SpanKind } from '@opentelemetry/api';
import type {
  AgentStepInfo,
  DelegationInfo,
  LlmCallInfo,
  MemoryOperationInfo,
  MemoryOutcome,
  StreamProgress,
  TaskSpanInfo,
  ToolSpanInfo,
} from './span-info';

/**
 * The naming table: the one place that decides what our spans and metrics are called, chosen once
 * at start from `OTEL_SEMCONV_STABILITY_OPT_IN` and given to `AgentTracer` and `AgentMetrics`.
 * Two tables implement it: `workshop.ts` (the workshop's names, the default) and `latest.ts` (the
 * GenAI conventions' own repository, v0.1.0). The names themselves are in `../semconv.ts`;
 * docs/semantic-conventions.md maps one table to the other.
 *
 * A table says how a span starts (name, kind, and the attributes a sampler may need, given at
 * creation) and names the attributes whose names differ between the two; the attributes both
 * tables share are set by the recorders themselves (`../recorders/`).
 */
export type GenAiConventionsMode = 'workshop' | 'latest';

export interface SpanStart {
  name: string;
  kind: SpanKind;
  /** Given to the tracer with the span, so that a sampler sees them. */
  attributes: Record<string, unknown>;
}

/** A message the model or the run answered, for `gen_ai.output.messages`. */
export interface OutputMessage {
  role: string;
  parts: readonly unknown[];
}

export interface GenAiConventions {
  readonly mode: GenAiConventionsMode;
  /** Where the names come from, as the docs and the fixtures say it. */
  readonly source: string;

  /** The run. */
  task(info: TaskSpanInfo): SpanStart;
  /** One model call, its retries included. */
  inference(info: LlmCallInfo): SpanStart;
  /** One round of tool calls and the model call after them. */
  step(info: AgentStepInfo): SpanStart;
  tool(info: ToolSpanInfo): SpanStart;
  memory(info: MemoryOperationInfo): SpanStart;
  /** A call to the remote sub-agent; `undefined`: no span of its own (the tool span stands for it). */
  delegation(info: DelegationInfo): SpanStart | undefined;

  /** What a memory operation did. */
  memoryOutcome(info: MemoryOperationInfo, outcome: MemoryOutcome): Record<string, unknown>;
  /** Content: what a memory search looked for and the records given to the model. */
  memoryContent(query: string, records: readonly unknown[]): Record<string, unknown>;
  /** How a streamed model call went. */
  stream(progress: StreamProgress): Record<string, unknown>;
  /** Content: the system instruction, where the table records it. */
  systemInstructions(text: string | undefined): Record<string, unknown>;
  /** Content: `gen_ai.output.messages` of one answer, ended for `finishReason`. */
  outputMessages(message: OutputMessage, finishReason: string): unknown;

  readonly metrics: MetricConventions;
}

/** A tool call as a metric sees it: the name already bounded. */
export interface ToolMetricInfo {
  toolName: string;
  toolType: string;
  agentName?: string;
}

export interface RunMetricInfo {
  agentName: string;
  requestModel?: string;
}

export interface MetricConventions {
  /** Duration of a model call, its retries included. */
  modelCallDuration: string;
  /** Streamed model calls: time to the first chunk. */
  timeToFirstChunk: string;
  /**
   * How tokens are counted: one histogram by `gen_ai.token.type` (v1.41), or counters by
   * `gen_ai.token.modality` plus one histogram per direction (v0.1.0).
   */
  tokens: 'histogram_by_type' | 'counters_by_modality';
  /** Attributes of `gen_ai.execute_tool.duration`, besides `error.type`. */
  toolAttributes(tool: ToolMetricInfo): Record<string, string | undefined>;
  /** Attributes of `gen_ai.invoke_agent.duration` (and `agent.runs`), besides `error.type`. */
  runAttributes(run: RunMetricInfo): Record<string, string | undefined>;
}

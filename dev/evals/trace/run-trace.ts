import type { AttributeValue, ReceivedSpan } from '../../otlp/receiver';
import { parseJsonObject } from '../../../src/json-object';
import * as semconv from '../../../src/tracing/semconv';

/**
 * One run as its trace tells it, for the evaluators: the only file of the evaluations that reads
 * span and attribute names, all from the names module the recorders write with. The run is the
 * request's `invoke_agent` span (`agent.task`) nearest the root; what belongs to it is what it
 * started itself, not what a tool started (an MCP call) or another agent ran (a delegated run).
 */

export interface ToolCall {
  name: string;
  /** Recorded only with content capture on (`gen_ai.tool.call.arguments`). */
  args: Record<string, unknown> | undefined;
  ok: boolean;
  /** Services whose own agent run joined the trace under this call (a delegation). */
  joinedRuns: string[];
}

export interface MemoryOperation {
  operation: string;
  /** Records found (short-term read, long-term search). */
  found: number;
  /** Long-term records given to the model. */
  used: number | undefined;
  endNs: bigint;
}

export interface ModelCall {
  /**
   * When the call ended. Ends, not starts, are what to order spans by: the SDK takes a span's start
   * from the wall clock, to the millisecond, and its end from that plus a precise duration.
   */
  endNs: bigint;
  inputTokens: number;
  outputTokens: number;
}

export interface RunTrace {
  traceId: string;
  spans: readonly ReceivedSpan[];
  /** The request's span: where the trace starts. */
  root: ReceivedSpan | undefined;
  /** The run; undefined when the request was refused before the agent ran. */
  task: ReceivedSpan | undefined;
  /** The run's own tool calls, in the order they started. */
  toolCalls: ToolCall[];
  memory: MemoryOperation[];
  modelCalls: ModelCall[];
  /** From the run's span, the attributes the metrics are recorded from. */
  steps: number | undefined;
  modelCallCount: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  costUsd: number | undefined;
  /** The run's duration (`gen_ai.invoke_agent.duration`), else the request's. */
  durationMs: number | undefined;
}

const numberOf = (value: AttributeValue | undefined): number | undefined =>
  typeof value === 'number' ? value : undefined;
const operationOf = (span: ReceivedSpan) => span.attributes[semconv.ATTR_GEN_AI_OPERATION_NAME];
const isRun = (span: ReceivedSpan) =>
  operationOf(span) === semconv.GEN_AI_OPERATION_INVOKE_AGENT && span.kind === 'INTERNAL';
const isToolCall = (span: ReceivedSpan) =>
  operationOf(span) === semconv.GEN_AI_OPERATION_EXECUTE_TOOL;
const byStart = (a: ReceivedSpan, b: ReceivedSpan) =>
  Number(a.startTimeUnixNano - b.startTimeUnixNano);
const durationMsOf = (span: ReceivedSpan) =>
  Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;

const parseArguments = (value: AttributeValue | undefined) =>
  typeof value === 'string' ? parseJsonObject(value) : undefined;

/**
 * Tool calls in the order the model asked for them: step by step (`agent.step.number` of the step
 * span above them), and within a step in the order of its `agent.step.tool_calls`. Calls of one
 * step run at once, so neither their starts (to the millisecond) nor their ends order them.
 */
function inModelOrder(
  calls: readonly ReceivedSpan[],
  parentOf: (span: ReceivedSpan) => ReceivedSpan | undefined,
): ReceivedSpan[] {
  const steps = new Map<string, ReceivedSpan[]>();
  for (const call of [...calls].sort(byStart)) {
    const siblings = steps.get(call.parentSpanId) ?? [];
    steps.set(call.parentSpanId, [...siblings, call]);
  }
  // Without a step number (not under a step), in the order they started.
  const stepNumber = (siblings: readonly ReceivedSpan[]) =>
    numberOf(parentOf(siblings[0]!)?.attributes[semconv.ATTR_AGENT_STEP_NUMBER]) ?? 0;
  return [...steps]
    .sort(([, first], [, second]) => stepNumber(first) - stepNumber(second))
    .flatMap(([, siblings]) => {
      const asked = parentOf(siblings[0]!)?.attributes[semconv.ATTR_AGENT_STEP_TOOL_CALLS];
      const left = [...siblings];
      const ordered = (Array.isArray(asked) ? asked : []).flatMap((name) => {
        const index = left.findIndex(
          (call) => call.attributes[semconv.ATTR_GEN_AI_TOOL_NAME] === name,
        );
        return index < 0 ? [] : left.splice(index, 1);
      });
      return [...ordered, ...left];
    });
}

export function readRunTrace(traceId: string, received: readonly ReceivedSpan[]): RunTrace {
  const spans = received.filter((span) => span.traceId === traceId);
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
  const depthOf = (span: ReceivedSpan): number => {
    let depth = 0;
    for (let parent = parentOf(span); parent; parent = parentOf(parent)) depth += 1;
    return depth;
  };
  const ancestorsOf = function* (span: ReceivedSpan) {
    for (let parent = parentOf(span); parent; parent = parentOf(parent)) yield parent;
  };
  /** The run a span belongs to: the nearest run above it, unless a tool call comes first. */
  const ownerOf = (span: ReceivedSpan): ReceivedSpan | undefined => {
    for (const ancestor of ancestorsOf(span)) {
      if (isToolCall(ancestor)) return undefined;
      if (isRun(ancestor)) return ancestor;
    }
    return undefined;
  };

  const root = spans.find((span) => span.parentSpanId === '');
  const task = spans.filter(isRun).sort((a, b) => depthOf(a) - depthOf(b))[0];
  const own = (span: ReceivedSpan) => task !== undefined && ownerOf(span) === task;
  const runsUnder = (call: ReceivedSpan) =>
    spans
      .filter(
        (span) =>
          isRun(span) &&
          span.serviceName !== call.serviceName &&
          [...ancestorsOf(span)].includes(call),
      )
      .map((span) => span.serviceName);

  const toolCalls = inModelOrder(
    spans.filter((span) => isToolCall(span) && own(span)),
    parentOf,
  ).map((span): ToolCall => ({
    name: String(span.attributes[semconv.ATTR_GEN_AI_TOOL_NAME] ?? span.name),
    args: parseArguments(span.attributes[semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]),
    ok:
      span.attributes[semconv.ATTR_TOOL_SUCCESS] === undefined
        ? span.status.code !== 'ERROR'
        : span.attributes[semconv.ATTR_TOOL_SUCCESS] === true,
    joinedRuns: runsUnder(span),
  }));
  const memory = spans
    .filter((span) => span.attributes[semconv.ATTR_MEMORY_OPERATION] !== undefined && own(span))
    .sort(byStart)
    .map((span): MemoryOperation => ({
      operation: String(span.attributes[semconv.ATTR_MEMORY_OPERATION]),
      found: numberOf(span.attributes[semconv.ATTR_MEMORY_RECORDS_FOUND]) ?? 0,
      used: numberOf(span.attributes[semconv.ATTR_MEMORY_RECORDS_USED]),
      endNs: span.endTimeUnixNano,
    }));
  const modelCalls = spans
    .filter((span) => operationOf(span) === semconv.GEN_AI_OPERATION_GENERATE_CONTENT && own(span))
    .sort(byStart)
    .map((span): ModelCall => ({
      endNs: span.endTimeUnixNano,
      inputTokens: numberOf(span.attributes[semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]) ?? 0,
      outputTokens: numberOf(span.attributes[semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]) ?? 0,
    }));
  const attribute = (name: string) => numberOf(task?.attributes[name]);
  const timed = task ?? root;
  return {
    traceId,
    spans,
    root,
    task,
    toolCalls,
    memory,
    modelCalls,
    steps: attribute(semconv.ATTR_AGENT_TOTAL_STEPS),
    modelCallCount: attribute(semconv.ATTR_AGENT_MODEL_CALLS),
    inputTokens: attribute(semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS),
    outputTokens: attribute(semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS),
    costUsd: attribute(semconv.ATTR_GEN_AI_USAGE_COST),
    durationMs: timed && durationMsOf(timed),
  };
}

/**
 * True once a run's trace has arrived whole: its root, every span's parent, and under each call a
 * tool made to another of our services (a delegation, an MCP call) that did not fail, the other
 * service's side. Spans arrive in several exports from several processes; each process exports its
 * spans in the order they end, and its request's span ends last.
 */
export function isCompleteRunTrace(spans: readonly ReceivedSpan[]): boolean {
  const ids = new Set(spans.map((span) => span.spanId));
  const parents = new Set(spans.map((span) => span.parentSpanId));
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const hasRoot = spans.some((span) => span.parentSpanId === '');
  const parentsPresent = spans.every(
    (span) => span.parentSpanId === '' || ids.has(span.parentSpanId),
  );
  const remoteCallsAnswered = spans
    .filter((span) => {
      const parent = byId.get(span.parentSpanId);
      return span.kind === 'CLIENT' && parent !== undefined && isToolCall(parent);
    })
    .every((call) => call.status.code === 'ERROR' || parents.has(call.spanId));
  return hasRoot && parentsPresent && remoteCallsAnswered;
}

import type { AttributeValue, ReceivedSpan } from '../../dev/otlp/receiver';
import * as semconv from '../../src/tracing/semconv';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

interface SpanOptions {
  parent?: ReceivedSpan;
  kind?: ReceivedSpan['kind'];
  service?: string;
  attributes?: Record<string, AttributeValue>;
  error?: boolean;
}

/**
 * Hand-made spans of one run, as the OTLP receiver decodes them, for testing what reads traces
 * without a process: each span starts a millisecond after the one before and lasts half of one.
 */
export function runSpans(traceId = TRACE_ID) {
  const spans: ReceivedSpan[] = [];
  let clockNs = 1_000_000_000n;
  let nextId = 1;

  function span(name: string, options: SpanOptions = {}): ReceivedSpan {
    const { parent, kind = 'INTERNAL', attributes = {}, error = false } = options;
    const service = options.service ?? parent?.serviceName ?? 'agent-service';
    clockNs += 1_000_000n;
    const created: ReceivedSpan = {
      traceId,
      spanId: (nextId++).toString(16).padStart(16, '0'),
      parentSpanId: parent?.spanId ?? '',
      name,
      kind,
      startTimeUnixNano: clockNs,
      endTimeUnixNano: clockNs + 500_000n,
      attributes,
      attributeTypes: {},
      events: [],
      links: [],
      status: { code: error ? 'ERROR' : 'UNSET', message: '' },
      resource: { 'service.name': service },
      serviceName: service,
      scopeName: 'test',
    };
    spans.push(created);
    return created;
  }

  return {
    spans,
    span,
    server: (service = 'agent-service', parent?: ReceivedSpan) =>
      span('POST /api/v1/agent/execute', { kind: 'SERVER', service, parent }),
    task: (parent: ReceivedSpan, attributes: Record<string, AttributeValue> = {}) =>
      span(semconv.SPAN_AGENT_TASK, {
        parent,
        attributes: {
          [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
          ...attributes,
        },
      }),
    tool: (
      parent: ReceivedSpan,
      name: string,
      { args, ok = true }: { args?: Record<string, unknown>; ok?: boolean } = {},
    ) =>
      span(semconv.spanNameForTool(name), {
        parent,
        error: !ok,
        attributes: {
          [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
          [semconv.ATTR_GEN_AI_TOOL_NAME]: name,
          [semconv.ATTR_TOOL_SUCCESS]: ok,
          ...(args ? { [semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify(args) } : {}),
        },
      }),
    memory: (
      parent: ReceivedSpan,
      operation: 'read' | 'search' | 'write',
      found = 0,
      used?: number,
    ) =>
      span(semconv.spanNameForMemory(operation), {
        parent,
        attributes: {
          [semconv.ATTR_MEMORY_OPERATION]: operation,
          [semconv.ATTR_MEMORY_RECORDS_FOUND]: found,
          ...(used === undefined ? {} : { [semconv.ATTR_MEMORY_RECORDS_USED]: used }),
        },
      }),
    model: (parent: ReceivedSpan, inputTokens = 100, outputTokens = 10) =>
      span(semconv.SPAN_LLM_GENERATE, {
        parent,
        kind: 'CLIENT',
        attributes: {
          [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_GENERATE_CONTENT,
          [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
          [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
        },
      }),
    client: (parent: ReceivedSpan, error = false) =>
      span('POST', { parent, kind: 'CLIENT', error }),
  };
}

/** The attributes of a run's span that say what it spent. */
export const runTotals = ({
  steps = 1,
  modelCalls = 2,
  inputTokens = 200,
  outputTokens = 20,
  costUsd = 0.0001,
}: {
  steps?: number;
  modelCalls?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
} = {}): Record<string, AttributeValue> => ({
  [semconv.ATTR_AGENT_TOTAL_STEPS]: steps,
  [semconv.ATTR_AGENT_MODEL_CALLS]: modelCalls,
  [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
  [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
  [semconv.ATTR_GEN_AI_USAGE_COST]: costUsd,
});

import { SpanKind } from '@opentelemetry/api';
import * as semconv from '../semconv';
import type { GenAiConventions } from './conventions';
import {
  inferenceStartAttributes,
  serverAttributes,
  stepStart,
  taskStartAttributes,
  toolStartAttributes,
} from './shared';
import type { MemoryOperation } from './span-info';

/** Which of our attributes counts the records of each memory operation. */
const RECORDS_ATTRIBUTE: Record<MemoryOperation, string> = {
  read: semconv.ATTR_MEMORY_RECORDS_FOUND,
  search: semconv.ATTR_MEMORY_RECORDS_FOUND,
  write: semconv.ATTR_MEMORY_RECORDS_WRITTEN,
  erase: semconv.ATTR_MEMORY_RECORDS_ERASED,
};

/**
 * The default: the workshop's span names (`agent.task`, `llm.generate`, `tool.<name>`,
 * `memory.<operation>`, `agent.delegate`), our students' vocabulary, with the GenAI attributes of
 * semantic conventions v1.41 on them.
 */
export const WORKSHOP_CONVENTIONS: GenAiConventions = {
  mode: 'workshop',
  source: "the workshop's names; GenAI attributes and metrics of semantic-conventions v1.41",

  task: (info) => ({
    name: semconv.SPAN_AGENT_TASK,
    kind: SpanKind.INTERNAL,
    attributes: taskStartAttributes(info),
  }),
  inference: (info) => ({
    name: semconv.SPAN_LLM_GENERATE,
    kind: SpanKind.CLIENT,
    attributes: inferenceStartAttributes(info),
  }),
  step: stepStart,
  tool: (info) => ({
    name: semconv.spanNameForTool(info.boundedName),
    kind: SpanKind.INTERNAL,
    attributes: toolStartAttributes(info),
  }),
  memory: (info) => ({
    name: semconv.spanNameForMemory(info.operation),
    kind: SpanKind.INTERNAL,
    attributes: { [semconv.ATTR_MEMORY_OPERATION]: info.operation },
  }),
  // The delegate tool's span stands for a delegation the model asked for: only the route has one.
  delegation: (info) =>
    info.via === 'tool'
      ? undefined
      : {
          name: semconv.SPAN_AGENT_DELEGATE,
          kind: SpanKind.INTERNAL,
          attributes: {
            [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
            ...serverAttributes(info.endpoint),
          },
        },

  memoryOutcome: (info, { records, used }) => ({
    [RECORDS_ATTRIBUTE[info.operation]]: records,
    [semconv.ATTR_MEMORY_RECORDS_USED]: used,
  }),
  memoryContent: (_query, records) => ({ [semconv.ATTR_MEMORY_CONTENT]: records }),
  stream: ({ chunks, firstChunkSeconds }) => ({
    [semconv.ATTR_LLM_STREAMED]: true,
    [semconv.ATTR_LLM_STREAM_CHUNKS]: chunks,
    [semconv.ATTR_LLM_TIME_TO_FIRST_CHUNK_MS]:
      firstChunkSeconds === undefined ? undefined : Math.round(firstChunkSeconds * 100_000) / 100,
  }),
  systemInstructions: () => ({}),
  outputMessages: (message) => [message],

  metrics: {
    modelCallDuration: semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
    timeToFirstChunk: semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
    tokens: 'histogram_by_type',
    toolAttributes: ({ toolName }) => ({
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
      [semconv.ATTR_GEN_AI_TOOL_NAME]: toolName,
    }),
    runAttributes: ({ agentName, requestModel }) => ({
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
      [semconv.ATTR_GEN_AI_AGENT_NAME]: agentName,
      [semconv.ATTR_GEN_AI_REQUEST_MODEL]: requestModel,
    }),
  },
};

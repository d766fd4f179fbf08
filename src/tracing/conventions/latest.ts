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
import type { MemoryOperation, MemoryOperationInfo } from './span-info';

/**
 * The convention's operation for each of our memory operations. Reading a session's turns back is
 * none of them (the convention has search, create, update, upsert and delete, no read): that span
 * keeps the workshop's name and attributes rather than claim a search that did not happen.
 */
const MEMORY_OPERATIONS: Record<MemoryOperation, string | undefined> = {
  read: undefined,
  search: semconv.GEN_AI_OPERATION_SEARCH_MEMORY,
  // Each turn is a new record: the caller asks for its creation.
  write: semconv.GEN_AI_OPERATION_CREATE_MEMORY,
  // No record id: every record of the user (or session) in the store.
  erase: semconv.GEN_AI_OPERATION_DELETE_MEMORY,
};

/** CLIENT for a store in another process (PostgreSQL), INTERNAL for the in-process one. */
const memoryKind = ({ backend }: MemoryOperationInfo) =>
  backend === semconv.MEMORY_BACKEND_IN_MEMORY ? SpanKind.INTERNAL : SpanKind.CLIENT;

/**
 * `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`: what the GenAI conventions'
 * own repository specifies (semantic-conventions-genai v0.1.0), and only that where it renames
 * something. Spans it has no convention for (a reasoning step, a memory read) keep our names.
 */
export const LATEST_CONVENTIONS: GenAiConventions = {
  mode: 'latest',
  source: `${semconv.GEN_AI_CONVENTIONS_REPOSITORY} ${semconv.GEN_AI_CONVENTIONS_VERSION}`,

  task: (info) => ({
    name: semconv.spanNameForInvokeAgent(info.agentName),
    kind: SpanKind.INTERNAL,
    attributes: taskStartAttributes(info),
  }),
  inference: (info) => ({
    name: semconv.spanNameForInference(
      semconv.GEN_AI_OPERATION_GENERATE_CONTENT,
      info.requestModel,
    ),
    kind: SpanKind.CLIENT,
    attributes: inferenceStartAttributes(info),
  }),
  // No convention for a step: planning (`plan`) is not what it is, and must not be claimed.
  step: stepStart,
  tool: (info) => ({
    name: semconv.spanNameForExecuteTool(info.boundedName),
    kind: SpanKind.INTERNAL,
    attributes: { ...toolStartAttributes(info), [semconv.ATTR_GEN_AI_AGENT_NAME]: info.agentName },
  }),
  memory: (info) => {
    const operation = MEMORY_OPERATIONS[info.operation];
    return operation === undefined
      ? {
          name: semconv.spanNameForMemory(info.operation),
          kind: SpanKind.INTERNAL,
          attributes: { [semconv.ATTR_MEMORY_OPERATION]: info.operation },
        }
      : {
          name: operation,
          kind: memoryKind(info),
          attributes: { [semconv.ATTR_GEN_AI_OPERATION_NAME]: operation },
        };
  },
  // A remote agent, whoever asks for it: under the delegate tool's span too.
  delegation: (info) => ({
    name: semconv.spanNameForInvokeAgent(info.agentName),
    kind: SpanKind.CLIENT,
    attributes: {
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
      [semconv.ATTR_GEN_AI_PROVIDER_NAME]: semconv.GEN_AI_PROVIDER_TRACED_AGENT,
      [semconv.ATTR_GEN_AI_AGENT_NAME]: info.agentName,
      ...serverAttributes(info.endpoint),
    },
  }),

  memoryOutcome: (info, { records, used }) => ({
    [MEMORY_OPERATIONS[info.operation] === undefined
      ? semconv.ATTR_MEMORY_RECORDS_FOUND
      : semconv.ATTR_GEN_AI_MEMORY_RECORD_COUNT]: records,
    [semconv.ATTR_MEMORY_RECORDS_USED]: used,
  }),
  memoryContent: (query, records) => ({
    [semconv.ATTR_GEN_AI_MEMORY_QUERY_TEXT]: query,
    [semconv.ATTR_GEN_AI_MEMORY_RECORDS]: records.map((content) => ({ content })),
  }),
  stream: ({ chunks, firstChunkSeconds }) => ({
    [semconv.ATTR_GEN_AI_REQUEST_STREAM]: true,
    [semconv.ATTR_LLM_STREAM_CHUNKS]: chunks,
    [semconv.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]: firstChunkSeconds,
  }),
  systemInstructions: (text) =>
    text === undefined
      ? {}
      : { [semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]: [{ type: 'text', content: text }] },
  outputMessages: (message, finishReason) => [{ ...message, finish_reason: finishReason }],

  metrics: {
    modelCallDuration: semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
    timeToFirstChunk: semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
    tokens: 'counters_by_modality',
    toolAttributes: ({ toolName, toolType, agentName }) => ({
      [semconv.ATTR_GEN_AI_TOOL_NAME]: toolName,
      [semconv.ATTR_GEN_AI_TOOL_TYPE]: toolType,
      [semconv.ATTR_GEN_AI_AGENT_NAME]: agentName,
    }),
    runAttributes: ({ agentName, requestModel }) => ({
      [semconv.ATTR_GEN_AI_AGENT_NAME]: agentName,
      [semconv.ATTR_GEN_AI_REQUEST_MODEL]: requestModel,
    }),
  },
};

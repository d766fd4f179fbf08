/**
 * Every span, attribute and event name our code writes, in one place.
 *
 * - Stable names come from `@opentelemetry/semantic-conventions` itself.
 * - Incubating names (the GenAI conventions, `user.*`, `host.*`, `process.*`) are copied here, with
 *   the convention version they were taken from, instead of importing the `incubating` entry point,
 *   as the OpenTelemetry JS README recommends: an upstream rename cannot silently change our
 *   telemetry.
 * - Names under `agent.*`, `llm.*`, `tool.*`, `memory.*` and `correlation.id` are ours, for
 *   concepts no convention covers yet; they keep the workshop's vocabulary.
 */

export {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_TRANSPORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';

/**
 * GenAI semantic conventions, v1.41 (development status): the names of the workshop mode. Those the
 * latest mode emits too are used by both (see conventions/latest.ts).
 */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
/** Opt-in content: recorded only when message content capture is enabled. */
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';

export const GEN_AI_OPERATION_GENERATE_CONTENT = 'generate_content';
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_TOOL_TYPE_FUNCTION = 'function';

/** MCP semantic conventions, v1.39 (development status): `tools/call` spans, CLIENT and SERVER. */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const MCP_METHOD_TOOLS_CALL = 'tools/call';
/** `error.type` of a `tools/call` whose result has `isError: true`. */
export const MCP_ERROR_TYPE_TOOL_ERROR = 'tool_error';
export const NETWORK_TRANSPORT_TCP = 'tcp';
export const NETWORK_PROTOCOL_HTTP = 'http';
/** `{mcp.method.name} {target}`, e.g. `tools/call convert_units`. */
export const spanNameForMcpCall = (method: string, target: string): string => `${method} ${target}`;

/**
 * General conventions still incubating in v1.41: `user.id`, `session.id`, `host.name`,
 * `process.pid`. Langfuse's Users and Sessions views read `user.id` and `session.id`.
 */
export const ATTR_USER_ID = 'user.id';
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_HOST_NAME = 'host.name';
export const ATTR_PROCESS_PID = 'process.pid';

/** Ours: the run. */
export const ATTR_AGENT_TOTAL_STEPS = 'agent.total_steps';
export const ATTR_AGENT_STOPPED_REASON = 'agent.stopped_reason';
export const ATTR_AGENT_MAX_STEPS = 'agent.max_steps';
export const ATTR_AGENT_MODEL_CALLS = 'agent.model_calls';
export const ATTR_AGENT_STEP_NUMBER = 'agent.step.number';
export const ATTR_AGENT_STEP_TYPE = 'agent.step.type';
export const ATTR_AGENT_STEP_TOOL_CALLS = 'agent.step.tool_calls';
export const ATTR_AGENT_CORRECTION = 'agent.correction';
/** Ours: model retries (an event on `llm.generate` per retried attempt). */
export const ATTR_LLM_RETRY_ATTEMPT = 'llm.retry.attempt';
export const ATTR_LLM_RETRY_DELAY_MS = 'llm.retry.delay_ms';
/**
 * Ours: a streamed model call (`llm.generate` stays open until its stream ends). The matching
 * metric is `gen_ai.client.operation.time_to_first_chunk`.
 */
export const ATTR_LLM_STREAMED = 'llm.streamed';
export const ATTR_LLM_TIME_TO_FIRST_CHUNK_MS = 'llm.time_to_first_chunk_ms';
export const ATTR_LLM_STREAM_CHUNKS = 'llm.stream.chunks';
/** Ours: tools. */
export const ATTR_TOOL_DURATION_MS = 'tool.duration_ms';
export const ATTR_TOOL_SUCCESS = 'tool.success';
export const ATTR_TOOL_RESULT_SIZE = 'tool.result_size';
export const ATTR_TOOL_RESULT_TRUNCATED = 'tool.result_truncated';
/** Ours: memory. */
export const ATTR_MEMORY_OPERATION = 'memory.operation';
export const ATTR_MEMORY_TYPE = 'memory.type';
export const ATTR_MEMORY_RECORDS_FOUND = 'memory.records_found';
export const ATTR_MEMORY_RECORDS_WRITTEN = 'memory.records_written';
export const ATTR_MEMORY_RECORDS_ERASED = 'memory.records_erased';
/** Of the long-term records found, how many were given to the model (within the size bound). */
export const ATTR_MEMORY_RECORDS_USED = 'memory.records_used';
/** Where memory lives: `in_memory` or `postgresql`. */
export const ATTR_MEMORY_BACKEND = 'memory.backend';
/** The in-process store: its memory spans are INTERNAL where the convention asks CLIENT otherwise. */
export const MEMORY_BACKEND_IN_MEMORY = 'in_memory';
/** The long-term records given to the model: content, recorded only with content capture on. */
export const ATTR_MEMORY_CONTENT = 'memory.content';
/** Ours: the request's correlation id, on every span of every service (from baggage). */
export const ATTR_CORRELATION_ID = 'correlation.id';

/** Events. */
export const EVENT_AGENT_FINISHED = 'agent.finished';
export const EVENT_AGENT_MALFORMED_FUNCTION_CALL = 'agent.malformed_function_call';
export const EVENT_LLM_RETRY = 'llm.retry';

/** Span names: the workshop's, which our users know. */
export const SPAN_AGENT_TASK = 'agent.task';
export const SPAN_LLM_GENERATE = 'llm.generate';
export const SPAN_AGENT_DELEGATE = 'agent.delegate';
export const spanNameForStep = (stepType: string): string => `agent.step.${stepType}`;
export const spanNameForTool = (toolName: string): string => `tool.${toolName}`;
export const spanNameForMemory = (operation: string): string => `memory.${operation}`;

/**
 * Ours: on a root sampled by the adaptive sampler, the probability it was sampled with (0 to 1]; 1
 * / p extrapolates counts.
 */
export const ATTR_SAMPLING_PROBABILITY = 'sampling.probability';

/**
 * GenAI conventions (v1.41, development): the result of evaluating a GenAI operation, as an event
 * on a span parented to the operation evaluated.
 */
export const EVENT_GEN_AI_EVALUATION_RESULT = 'gen_ai.evaluation.result';
export const ATTR_GEN_AI_EVALUATION_NAME = 'gen_ai.evaluation.name';
export const ATTR_GEN_AI_EVALUATION_SCORE_VALUE = 'gen_ai.evaluation.score.value';
export const ATTR_GEN_AI_EVALUATION_SCORE_LABEL = 'gen_ai.evaluation.score.label';
export const ATTR_GEN_AI_EVALUATION_EXPLANATION = 'gen_ai.evaluation.explanation';
/** Ours: the span that carries a user's feedback on a run, under the run's `agent.task`. */
export const SPAN_AGENT_FEEDBACK = 'agent.feedback';
/**
 * Ours: offline evaluations (`npm run eval`, dev/evals/). Each evaluated run gets an
 * `agent.evaluation` span under its `agent.task`, one `gen_ai.evaluation.result` event per
 * evaluator, and a link to its experiment's `evaluation.experiment` span (a trace of its own, with
 * each evaluator's mean score): an experiment is found in a backend by its id, a dataset by its
 * version. No convention names experiments or datasets yet.
 */
export const SPAN_AGENT_EVALUATION = 'agent.evaluation';
export const SPAN_EVALUATION_EXPERIMENT = 'evaluation.experiment';
export const ATTR_EVALUATION_EXPERIMENT_ID = 'evaluation.experiment.id';
export const ATTR_EVALUATION_EXPERIMENT_NAME = 'evaluation.experiment.name';
export const ATTR_EVALUATION_DATASET_NAME = 'evaluation.dataset.name';
export const ATTR_EVALUATION_DATASET_VERSION = 'evaluation.dataset.version';
export const ATTR_EVALUATION_CASE_ID = 'evaluation.case.id';
/** On the experiment's span: the cases run, and how many passed every evaluator. */
export const ATTR_EVALUATION_CASES = 'evaluation.cases';
export const ATTR_EVALUATION_CASES_PASSED = 'evaluation.cases.passed';

/**
 * Metrics of the GenAI semantic conventions, v1.41 (development status), with their recommended
 * explicit bucket boundaries. `gen_ai.execute_tool.duration` and `gen_ai.invoke_agent.duration` are
 * from the GenAI conventions' own repository, where the conventions moved after v1.41.
 */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_GEN_AI_EXECUTE_TOOL_DURATION = 'gen_ai.execute_tool.duration';
export const METRIC_GEN_AI_INVOKE_AGENT_DURATION = 'gen_ai.invoke_agent.duration';
/** Streamed calls only; the same attributes and buckets as `gen_ai.client.operation.duration`. */
export const METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK =
  'gen_ai.client.operation.time_to_first_chunk';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
export const GEN_AI_TOKEN_TYPE_INPUT = 'input';
export const GEN_AI_TOKEN_TYPE_OUTPUT = 'output';
export const GEN_AI_TOKEN_USAGE_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
export const GEN_AI_OPERATION_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const GEN_AI_INVOKE_AGENT_DURATION_BUCKETS: readonly number[] = [
  0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6,
];

/** Metrics of the MCP semantic conventions, v1.39 (development status). */
export const METRIC_MCP_CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';
export const METRIC_MCP_SERVER_OPERATION_DURATION = 'mcp.server.operation.duration';
export const MCP_OPERATION_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
];

/**
 * Ours, where no convention exists: runs by how they ended, model retries by reason, the cost of
 * model calls in US dollars, and spans left out by the minimum-duration filter.
 */
export const METRIC_AGENT_RUNS = 'agent.runs';
export const METRIC_LLM_RETRIES = 'llm.retries';
export const METRIC_LLM_COST = 'llm.cost.usd';
export const METRIC_SPAN_FILTER_DROPPED_SPANS = 'span_filter.dropped_spans';
/**
 * Ours: the scores of user feedback (`gen_ai.evaluation.score.value` of the evaluation result
 * event), by `gen_ai.evaluation.name` and `gen_ai.agent.name`. The GenAI conventions (v1.41) define
 * the event and its attributes but no metric. Buckets fit the usual scales: 0/1 thumbs, 0 to 1,
 * 1 to 5 stars, 0 to 10 (a histogram takes no negative value: the API refuses negative scores).
 */
export const METRIC_AGENT_FEEDBACK_SCORE = 'agent.feedback.score';
export const FEEDBACK_SCORE_BUCKETS: readonly number[] = [
  0, 0.1, 0.25, 0.5, 0.75, 0.9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
];
/** `gen_ai.evaluation.name` on the score metric for names beyond the bound, or not name-like. */
export const OTHER_EVALUATION_NAME = 'other';

/**
 * Ours: admission (src/http/admission/). Requests refused with 503, by reason (the same attribute
 * is set on the refused request's server span): runs admission refused, and requests the server's
 * edge refused (src/http/connection-guard.ts); and the runs admitted and not yet answered (in the
 * tool service, MCP requests).
 */
export const METRIC_AGENT_ADMISSION_REFUSALS = 'agent.admission.refusals';
export const METRIC_AGENT_ADMISSION_IN_FLIGHT = 'agent.admission.in_flight';
export const ATTR_AGENT_ADMISSION_REFUSAL_REASON = 'agent.admission.refusal_reason';
/**
 * Node.js runtime metrics, as `@opentelemetry/semantic-conventions` 1.45 declares them (development
 * status): the event loop's 90th-percentile delay, in seconds, here over admission's last window.
 */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90';
/**
 * The cost of a model call (on `llm.generate`) or of a run (on `agent.task`), in US dollars. No
 * semantic convention exists yet; this is the attribute Langfuse and OpenLIT read.
 */
export const ATTR_GEN_AI_USAGE_COST = 'gen_ai.usage.cost';
/** `gen_ai.tool.name` on metrics for a tool that does not exist: names the model made up. */
export const UNKNOWN_TOOL_NAME = 'unknown';

/**
 * GenAI semantic conventions in their own repository, `open-telemetry/semantic-conventions-genai`
 * v0.1.0 (development status): what the latest mode (`OTEL_SEMCONV_STABILITY_OPT_IN` containing
 * `gen_ai_latest_experimental`) emits besides the v1.41 names it keeps. Where each name was read,
 * and at which commit: test/fixtures/genai-conventions/latest.json and docs/semantic-conventions.md.
 */
export const GEN_AI_CONVENTIONS_REPOSITORY = 'open-telemetry/semantic-conventions-genai';
export const GEN_AI_CONVENTIONS_VERSION = 'v0.1.0';
/** The value of `OTEL_SEMCONV_STABILITY_OPT_IN` (a comma-separated list) that selects them. */
export const SEMCONV_OPT_IN_GEN_AI_LATEST = 'gen_ai_latest_experimental';

export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
/** Set, to true, only on a streamed model call. */
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
/** Seconds, from the request to the first chunk of a streamed answer. */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
/** Records a memory search returned, or a write or delete attempted. */
export const ATTR_GEN_AI_MEMORY_RECORD_COUNT = 'gen_ai.memory.record.count';
/** Opt-in content: the records a search returned, `[{content, id?, metadata?, score?}]`. */
export const ATTR_GEN_AI_MEMORY_RECORDS = 'gen_ai.memory.records';
/** Opt-in content: the text a memory search looked for. */
export const ATTR_GEN_AI_MEMORY_QUERY_TEXT = 'gen_ai.memory.query.text';
export const GEN_AI_OPERATION_SEARCH_MEMORY = 'search_memory';
export const GEN_AI_OPERATION_CREATE_MEMORY = 'create_memory';
export const GEN_AI_OPERATION_DELETE_MEMORY = 'delete_memory';
/**
 * `gen_ai.provider.name` of a call to our own sub-agent service (an `invoke_agent` CLIENT span,
 * where the attribute is required): no well-known value fits a service of ours, and the
 * convention allows custom values.
 */
export const GEN_AI_PROVIDER_TRACED_AGENT = 'traced_agent';
/** Which modality tokens were of: ours are all text (the agent sends and gets text only). */
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';
export const GEN_AI_TOKEN_MODALITY_TEXT = 'text';
/** `invoke_agent {gen_ai.agent.name}`: the run (INTERNAL), or a call to a remote agent (CLIENT). */
export const spanNameForInvokeAgent = (agentName: string): string =>
  `${GEN_AI_OPERATION_INVOKE_AGENT} ${agentName}`;
/** `{gen_ai.operation.name} {gen_ai.request.model}`, e.g. `generate_content gemini-2.0-flash`. */
export const spanNameForInference = (operation: string, model: string): string =>
  `${operation} ${model}`;
/** `execute_tool {gen_ai.tool.name}`. */
export const spanNameForExecuteTool = (toolName: string): string =>
  `${GEN_AI_OPERATION_EXECUTE_TOOL} ${toolName}`;

/**
 * Metrics of v0.1.0 that replace v1.41 ones for model calls: `gen_ai.client.operation.duration`
 * and `…time_to_first_chunk` became `gen_ai.client.inference.*` (same attributes and buckets), and
 * the `gen_ai.client.token.usage` histogram became two counters by modality and two histograms per
 * call (the v1.41 token buckets).
 */
export const METRIC_GEN_AI_CLIENT_INFERENCE_DURATION = 'gen_ai.client.inference.duration';
export const METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK =
  'gen_ai.client.inference.time_to_first_chunk';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS =
  'gen_ai.client.inference.usage.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS =
  'gen_ai.client.inference.usage.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS =
  'gen_ai.client.inference.operation.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS =
  'gen_ai.client.inference.operation.output_tokens';

/**
 * Every span, attribute and event name our code writes, in one place, each with what it means.
 *
 * - Stable names come from `@opentelemetry/semantic-conventions` itself.
 * - Incubating names (the GenAI conventions, `user.*`, `host.*`, `process.*`) are copied here, with
 *   the convention version they were taken from, instead of importing the `incubating` entry point,
 *   as the OpenTelemetry JS README recommends: an upstream rename cannot silently change our
 *   telemetry.
 * - Names under `agent.*`, `llm.*`, `tool.*`, `memory.*` and `correlation.id` are ours, for
 *   concepts no convention covers yet; they keep the workshop's vocabulary.
 *
 * The comment right above a span, attribute or event name says what it means, in a sentence (a
 * `//` comment is a section's). Which spans carry which names is `WHAT_EACH_SPAN_CARRIES`, at the
 * end: `npm run docs:generate` writes the table of docs/spans.md from the two, and
 * test/spans-doc.test.ts fails for a name without a meaning or a page not written again.
 */

import * as stable from '@opentelemetry/semantic-conventions';

/** The deployment environment (`NODE_ENV`), on the resource. */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = stable.ATTR_DEPLOYMENT_ENVIRONMENT_NAME;
/** Why the operation failed, as a code: one of ours, or the protocol's. */
export const ATTR_ERROR_TYPE = stable.ATTR_ERROR_TYPE;
/** The HTTP status of the response; on `llm.retry`, the failed attempt's (0 without one). */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = stable.ATTR_HTTP_RESPONSE_STATUS_CODE;
/** The application protocol of the call: `http`. */
export const ATTR_NETWORK_PROTOCOL_NAME = stable.ATTR_NETWORK_PROTOCOL_NAME;
/** The transport of the call: `tcp`. */
export const ATTR_NETWORK_TRANSPORT = stable.ATTR_NETWORK_TRANSPORT;
/** The host of the endpoint called. */
export const ATTR_SERVER_ADDRESS = stable.ATTR_SERVER_ADDRESS;
/** The port of the endpoint called, made explicit (443 or 80 when its URL has none). */
export const ATTR_SERVER_PORT = stable.ATTR_SERVER_PORT;
/** Which service made the telemetry (`OTEL_SERVICE_NAME`), on the resource. */
export const ATTR_SERVICE_NAME = stable.ATTR_SERVICE_NAME;
/** The version of the service that made the span. */
export const ATTR_SERVICE_VERSION = stable.ATTR_SERVICE_VERSION;
/** The path of an HTTP request (the http instrumentation's), which the tree printer reads. */
export const ATTR_URL_PATH = stable.ATTR_URL_PATH;

// GenAI semantic conventions, v1.41 (development status): the names of the workshop mode. Those
// the latest mode emits too are used by both (see conventions/latest.ts).

/** What the span does, in the GenAI conventions' words. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** Who serves the model: `gcp.gemini` for the Gemini API. */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The model asked for (`GEMINI_MODEL`). */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** The model that answered, from the API's answer. */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
/** The API's id for its answer. */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
/** Why the model stopped (`STOP`, `MAX_TOKENS`, ...), from the API's answer. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Tokens of the prompt, as the API counted them (an integer). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Tokens of the answer, as the API counted them (an integer). */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** The agent: `traced-agent` or `traced-sub-agent`. */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** What the agent is for, in a sentence. */
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
/** The request's `session_id`, only when given: never invented. */
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
/** The tool the model asked for. */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The id of the model's function call (one of ours when the API gives none). */
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** What kind of tool: `function`, one the agent runs for the model. */
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
/** What the tool does, as the model is told. */
export const ATTR_GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
/** Opt-in content: the arguments the model gave the tool. */
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
/** Opt-in content: what the tool returned. */
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
/** Opt-in content: the messages sent to the model. */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
/** Opt-in content: the model's answer. */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';

export const GEN_AI_OPERATION_GENERATE_CONTENT = 'generate_content';
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_TOOL_TYPE_FUNCTION = 'function';

// MCP semantic conventions, v1.39 (development status): `tools/call` spans, CLIENT and SERVER.

/** The MCP method called: `tools/call`. */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
/** The MCP session, when the server keeps one. */
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
/** The MCP protocol version the client and the server agreed on. */
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
/** The id of the JSON-RPC request. */
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const MCP_METHOD_TOOLS_CALL = 'tools/call';
/** `error.type` of a `tools/call` whose result has `isError: true`. */
export const MCP_ERROR_TYPE_TOOL_ERROR = 'tool_error';
export const NETWORK_TRANSPORT_TCP = 'tcp';
export const NETWORK_PROTOCOL_HTTP = 'http';
/** `{mcp.method.name} {target}`, e.g. `tools/call convert_units`. */
export const spanNameForMcpCall = (method: string, target: string): string => `${method} ${target}`;

// General conventions still incubating in v1.41: `user.id`, `session.id`, `host.name`,
// `process.pid`. Langfuse's Users and Sessions views read `user.id` and `session.id`.

/** The caller's user: the request's `user_id`, carried to every span by baggage. */
export const ATTR_USER_ID = 'user.id';
/** The request's `session_id`, on the agent's server span: what Langfuse's Sessions view reads. */
export const ATTR_SESSION_ID = 'session.id';
/** The host the service runs on. */
export const ATTR_HOST_NAME = 'host.name';
/** The id of the service's process. */
export const ATTR_PROCESS_PID = 'process.pid';

// Ours: the run.

/** How many steps (tool rounds) the run took. */
export const ATTR_AGENT_TOTAL_STEPS = 'agent.total_steps';
/** How the run ended: `completed` (the model answered) or `max_steps` (it hit its limit). */
export const ATTR_AGENT_STOPPED_REASON = 'agent.stopped_reason';
/** The most steps the run may take. */
export const ATTR_AGENT_MAX_STEPS = 'agent.max_steps';
/** How many model calls the run made, retries included. */
export const ATTR_AGENT_MODEL_CALLS = 'agent.model_calls';
/** Which step of the run: 0 for the first model call, then 1, 2, ... for each tool round. */
export const ATTR_AGENT_STEP_NUMBER = 'agent.step.number';
/** What kind of step: `reasoning`, a round of tool calls and the model call after them. */
export const ATTR_AGENT_STEP_TYPE = 'agent.step.type';
/** How many tool calls the model asked for in the step. */
export const ATTR_AGENT_STEP_TOOL_CALLS = 'agent.step.tool_calls';
/** Which attempt at correcting a turn the model could not form a call in: 1, 2, ... */
export const ATTR_AGENT_CORRECTION = 'agent.correction';

// Ours: model retries (an event on `llm.generate` per retried attempt).

/** The attempt about to be made: 2 for the first retry. */
export const ATTR_LLM_RETRY_ATTEMPT = 'llm.retry.attempt';
/** How long the retry waits before its attempt, in milliseconds. */
export const ATTR_LLM_RETRY_DELAY_MS = 'llm.retry.delay_ms';

// Ours: a streamed model call (`llm.generate` stays open until its stream ends). The matching
// metric is `gen_ai.client.operation.time_to_first_chunk`.

/** `true` on a streamed call (`POST /api/v1/agent/stream`), whose span stays open to its end. */
export const ATTR_LLM_STREAMED = 'llm.streamed';
/** Milliseconds from a streamed call's request to its first chunk. */
export const ATTR_LLM_TIME_TO_FIRST_CHUNK_MS = 'llm.time_to_first_chunk_ms';
/** How many chunks a streamed call received. */
export const ATTR_LLM_STREAM_CHUNKS = 'llm.stream.chunks';

// Ours: tools.

/** How long the tool ran, in milliseconds. */
export const ATTR_TOOL_DURATION_MS = 'tool.duration_ms';
/** Whether the tool returned a result (false when it failed or timed out). */
export const ATTR_TOOL_SUCCESS = 'tool.success';
/** Characters of the tool's whole result, as JSON. */
export const ATTR_TOOL_RESULT_SIZE = 'tool.result_size';
/** Whether the result was cut to its bound before it went back to the model. */
export const ATTR_TOOL_RESULT_TRUNCATED = 'tool.result_truncated';

// Ours: memory.

/** What the memory span does: `read`, `search`, `write` or `erase`. */
export const ATTR_MEMORY_OPERATION = 'memory.operation';
/** Which memory: `short_term` (the session's turns), `long_term` (the user's), `all`. */
export const ATTR_MEMORY_TYPE = 'memory.type';
/** How many records a read or a search found. */
export const ATTR_MEMORY_RECORDS_FOUND = 'memory.records_found';
/** How many records a write saved. */
export const ATTR_MEMORY_RECORDS_WRITTEN = 'memory.records_written';
/** How many records an erase deleted. */
export const ATTR_MEMORY_RECORDS_ERASED = 'memory.records_erased';
/** Of the long-term records found, how many were given to the model (within the size bound). */
export const ATTR_MEMORY_RECORDS_USED = 'memory.records_used';
/** Where memory lives: `in_memory` or `postgresql`. */
export const ATTR_MEMORY_BACKEND = 'memory.backend';
/** The in-process store: its memory spans are INTERNAL where the convention asks CLIENT otherwise. */
export const MEMORY_BACKEND_IN_MEMORY = 'in_memory';
/** The long-term records given to the model: content, recorded only with content capture on. */
export const ATTR_MEMORY_CONTENT = 'memory.content';
/** The request's correlation id, on every span of every service (from baggage). */
export const ATTR_CORRELATION_ID = 'correlation.id';

// Events.

/** The run is over: how it ended, after how many steps. */
export const EVENT_AGENT_FINISHED = 'agent.finished';
/**
 * The model was asked again after a function call it could not form; `agent.correction` counts
 * the attempts for that turn (1, 2, ...).
 */
export const EVENT_AGENT_MALFORMED_FUNCTION_CALL = 'agent.malformed_function_call';
/** One per retried attempt of a model call; each attempt has its own HTTP client span. */
export const EVENT_LLM_RETRY = 'llm.retry';

// Span names: the workshop's, which our users know.

/** The run: one request to the agent, from its task to its answer. */
export const SPAN_AGENT_TASK = 'agent.task';
/** One call to the model, its retries included. */
export const SPAN_LLM_GENERATE = 'llm.generate';
/** A task handed to the sub-agent through `POST /api/v1/agent/delegate`. */
export const SPAN_AGENT_DELEGATE = 'agent.delegate';
/** A round of the run's loop: `agent.step.reasoning`. */
export const spanNameForStep = (stepType: string): string => `agent.step.${stepType}`;
/** A tool call: `tool.calculator`, or `tool.unknown` for a tool that does not exist. */
export const spanNameForTool = (toolName: string): string => `tool.${toolName}`;
/** A memory operation: `memory.read`, `memory.search`, `memory.write` or `memory.erase`. */
export const spanNameForMemory = (operation: string): string => `memory.${operation}`;

// Ours: adaptive sampling (src/tracing/sampling/).

/**
 * The probability the adaptive sampler kept the trace with, in (0, 1]: count each kept trace as
 * 1 / p traces.
 */
export const ATTR_SAMPLING_PROBABILITY = 'sampling.probability';

// GenAI conventions (v1.41, development): the result of evaluating a GenAI operation, as an event
// on a span parented to the operation evaluated.

/** The result of evaluating a run: a user's feedback, or an evaluator's score. */
export const EVENT_GEN_AI_EVALUATION_RESULT = 'gen_ai.evaluation.result';
/** What the run was evaluated for: the feedback's name, or the evaluator's. */
export const ATTR_GEN_AI_EVALUATION_NAME = 'gen_ai.evaluation.name';
/** The score, a number. */
export const ATTR_GEN_AI_EVALUATION_SCORE_VALUE = 'gen_ai.evaluation.score.value';
/** The score in a word, such as `helpful`. */
export const ATTR_GEN_AI_EVALUATION_SCORE_LABEL = 'gen_ai.evaluation.score.label';
/** Why the score was given: the user's comment, or the evaluator's reasons. */
export const ATTR_GEN_AI_EVALUATION_EXPLANATION = 'gen_ai.evaluation.explanation';
/** Ours: the span of a user's feedback on a run, under the run's `agent.task`. */
export const SPAN_AGENT_FEEDBACK = 'agent.feedback';

// Ours: offline evaluations (`npm run eval`, dev/evals/). Each evaluated run gets an
// `agent.evaluation` span under its `agent.task`, one `gen_ai.evaluation.result` event per
// evaluator, and a link to its experiment's `evaluation.experiment` span (a trace of its own, with
// each evaluator's mean score): an experiment is found in a backend by its id, a dataset by its
// version. No convention names experiments or datasets yet.

/** The evaluation of one run, under its `agent.task`. */
export const SPAN_AGENT_EVALUATION = 'agent.evaluation';
/** One pass of a dataset through the evaluators, in a trace of its own. */
export const SPAN_EVALUATION_EXPERIMENT = 'evaluation.experiment';
/** The experiment's id, by which a backend finds it. */
export const ATTR_EVALUATION_EXPERIMENT_ID = 'evaluation.experiment.id';
/** The experiment's name. */
export const ATTR_EVALUATION_EXPERIMENT_NAME = 'evaluation.experiment.name';
/** The dataset evaluated. */
export const ATTR_EVALUATION_DATASET_NAME = 'evaluation.dataset.name';
/** The version of the dataset evaluated, by which a backend finds it. */
export const ATTR_EVALUATION_DATASET_VERSION = 'evaluation.dataset.version';
/** The case of the dataset the run was for. */
export const ATTR_EVALUATION_CASE_ID = 'evaluation.case.id';
/** On the experiment's span: the cases run. */
export const ATTR_EVALUATION_CASES = 'evaluation.cases';
/** On the experiment's span: the cases that passed every evaluator. */
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
/** On the token metrics: whether the tokens are the prompt's (`input`) or the answer's. */
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
/** Why admission refused a run (`runs_in_flight`, `event_loop_delay`, ...). */
export const ATTR_AGENT_ADMISSION_REFUSAL_REASON = 'agent.admission.refusal_reason';
/**
 * Node.js runtime metrics, as `@opentelemetry/semantic-conventions` 1.45 declares them (development
 * status): the event loop's 90th-percentile delay, in seconds, here over admission's last window.
 */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90';
/**
 * What a model call, or a run, cost in US dollars, from the pricing table; absent when the model
 * has no price. No semantic convention exists yet: this is the name Langfuse and OpenLIT read.
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

/** Opt-in content: the system instruction, which the Gemini API takes apart from the messages. */
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

// ---- What each span carries: `npm run docs:generate` writes docs/spans.md's table from it ----

/** An attribute as one span carries it, when its name alone does not say enough there. */
export interface CarriedAttribute {
  name: string;
  /** The value it always has on this span: `gen_ai.operation.name` = `invoke_agent`. */
  value?: string;
  /** What the workshop called it, when that was another name. */
  workshopName?: string;
  /** What it says on this span, after what it means anywhere. */
  note?: string;
}

/** An event a span carries, with the attributes the event has. */
export interface CarriedEvent {
  event: string;
  attributes: readonly string[];
  /** What it says on this span, after what it means anywhere. */
  note?: string;
}

/** Which spans: their names (`tool.<name>` stands for every tool's), or spans of one kind. */
type Spans = readonly string[] | 'every span' | 'failed spans' | 'the root of a new trace';

export interface SpanContents {
  spans: Spans;
  /** Said beside the spans' names: their kind, where they sit, when they exist. */
  about?: string;
  attributes: readonly (string | CarriedAttribute)[];
  events?: readonly CarriedEvent[];
}

const SUMMED_OVER_THE_RUN = 'Summed over the run.';

/**
 * Every attribute and event on our spans, span by span, in the order docs/spans.md shows them.
 * test/integration/span-table.test.ts holds the page, and so this list, to the spans real services
 * send: an attribute a recorder sets and this list leaves out fails there.
 */
export const WHAT_EACH_SPAN_CARRIES: readonly SpanContents[] = [
  {
    spans: [SPAN_AGENT_TASK],
    attributes: [
      { name: ATTR_GEN_AI_OPERATION_NAME, value: GEN_AI_OPERATION_INVOKE_AGENT },
      ATTR_GEN_AI_AGENT_NAME,
      ATTR_GEN_AI_AGENT_DESCRIPTION,
      { name: ATTR_GEN_AI_CONVERSATION_ID, workshopName: 'agent.session.id' },
      { name: ATTR_USER_ID, workshopName: 'agent.user.id' },
      ATTR_GEN_AI_REQUEST_MODEL,
      ATTR_AGENT_MAX_STEPS,
      ATTR_AGENT_TOTAL_STEPS,
      ATTR_AGENT_STOPPED_REASON,
      ATTR_AGENT_MODEL_CALLS,
      { name: ATTR_GEN_AI_USAGE_INPUT_TOKENS, note: SUMMED_OVER_THE_RUN },
      { name: ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, note: SUMMED_OVER_THE_RUN },
      { name: ATTR_GEN_AI_USAGE_COST, note: "Summed over the run's model calls." },
    ],
    events: [
      {
        event: EVENT_AGENT_FINISHED,
        attributes: [ATTR_AGENT_STOPPED_REASON, ATTR_AGENT_TOTAL_STEPS],
      },
      {
        event: EVENT_AGENT_MALFORMED_FUNCTION_CALL,
        attributes: [ATTR_AGENT_CORRECTION],
        note: 'On `agent.task` whichever step it happens in.',
      },
    ],
  },
  {
    spans: [SPAN_LLM_GENERATE],
    about: 'CLIENT',
    attributes: [
      { name: ATTR_GEN_AI_OPERATION_NAME, value: GEN_AI_OPERATION_GENERATE_CONTENT },
      { name: ATTR_GEN_AI_PROVIDER_NAME, value: 'gcp.gemini' },
      { name: ATTR_GEN_AI_REQUEST_MODEL, workshopName: 'llm.model' },
      ATTR_GEN_AI_RESPONSE_MODEL,
      ATTR_GEN_AI_RESPONSE_ID,
      ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
      { name: ATTR_GEN_AI_USAGE_INPUT_TOKENS, workshopName: 'llm.input_tokens' },
      { name: ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, workshopName: 'llm.output_tokens' },
      ATTR_GEN_AI_USAGE_COST,
      { name: ATTR_AGENT_STEP_NUMBER, workshopName: 'llm.step_number' },
      { name: ATTR_SERVER_ADDRESS, note: "Here, the model API's." },
      ATTR_SERVER_PORT,
      ATTR_LLM_STREAMED,
      ATTR_LLM_STREAM_CHUNKS,
      ATTR_LLM_TIME_TO_FIRST_CHUNK_MS,
    ],
    events: [
      {
        event: EVENT_LLM_RETRY,
        attributes: [
          ATTR_LLM_RETRY_ATTEMPT,
          ATTR_ERROR_TYPE,
          ATTR_HTTP_RESPONSE_STATUS_CODE,
          ATTR_LLM_RETRY_DELAY_MS,
        ],
      },
    ],
  },
  {
    spans: [spanNameForStep('reasoning')],
    attributes: [ATTR_AGENT_STEP_NUMBER, ATTR_AGENT_STEP_TYPE, ATTR_AGENT_STEP_TOOL_CALLS],
  },
  {
    spans: [spanNameForTool('<name>')],
    about: `\`${spanNameForTool(UNKNOWN_TOOL_NAME)}\` for a tool that does not exist`,
    attributes: [
      { name: ATTR_GEN_AI_OPERATION_NAME, value: GEN_AI_OPERATION_EXECUTE_TOOL },
      { name: ATTR_GEN_AI_TOOL_NAME, workshopName: 'tool.name' },
      ATTR_GEN_AI_TOOL_CALL_ID,
      { name: ATTR_GEN_AI_TOOL_TYPE, value: GEN_AI_TOOL_TYPE_FUNCTION },
      ATTR_GEN_AI_TOOL_DESCRIPTION,
      ATTR_TOOL_SUCCESS,
      ATTR_TOOL_DURATION_MS,
      ATTR_TOOL_RESULT_SIZE,
      ATTR_TOOL_RESULT_TRUNCATED,
    ],
  },
  {
    spans: [spanNameForMemory('read'), spanNameForMemory('write')],
    attributes: [
      ATTR_MEMORY_OPERATION,
      { name: ATTR_MEMORY_TYPE, value: 'short_term' },
      ATTR_MEMORY_BACKEND,
      ATTR_MEMORY_RECORDS_FOUND,
      ATTR_MEMORY_RECORDS_WRITTEN,
    ],
  },
  {
    spans: [spanNameForMemory('search')],
    attributes: [
      ATTR_MEMORY_OPERATION,
      { name: ATTR_MEMORY_TYPE, value: 'long_term' },
      ATTR_MEMORY_BACKEND,
      ATTR_MEMORY_RECORDS_FOUND,
      ATTR_MEMORY_RECORDS_USED,
    ],
  },
  {
    spans: [spanNameForMemory('erase')],
    about: 'under the server span of an erase request',
    attributes: [
      ATTR_MEMORY_OPERATION,
      { name: ATTR_MEMORY_TYPE, value: 'all' },
      ATTR_MEMORY_BACKEND,
      ATTR_MEMORY_RECORDS_ERASED,
    ],
  },
  {
    spans: [SPAN_AGENT_DELEGATE],
    attributes: [
      { name: ATTR_GEN_AI_OPERATION_NAME, value: GEN_AI_OPERATION_INVOKE_AGENT },
      { name: ATTR_SERVER_ADDRESS, note: "Here, the sub-agent's." },
      ATTR_SERVER_PORT,
    ],
  },
  {
    spans: [SPAN_AGENT_FEEDBACK],
    // Not backticked: the run's span is where this one sits, not another span the row is about.
    about: "under the run's agent.task, linking the feedback request's span",
    attributes: [],
    events: [
      {
        event: EVENT_GEN_AI_EVALUATION_RESULT,
        attributes: [
          ATTR_GEN_AI_EVALUATION_NAME,
          ATTR_GEN_AI_EVALUATION_SCORE_VALUE,
          ATTR_GEN_AI_EVALUATION_SCORE_LABEL,
          ATTR_GEN_AI_EVALUATION_EXPLANATION,
        ],
        note:
          "A user's feedback on the run (`POST /api/v1/agent/feedback`); the explanation (the " +
          'comment) only with content capture.',
      },
    ],
  },
  {
    spans: 'the root of a new trace',
    about: 'with `OTEL_TRACES_SAMPLER=adaptive`',
    attributes: [ATTR_SAMPLING_PROBABILITY],
  },
  {
    spans: [spanNameForMcpCall(MCP_METHOD_TOOLS_CALL, '<tool>')],
    about:
      'CLIENT on the agent, SERVER on the tool service; ' +
      `\`${spanNameForMcpCall(MCP_METHOD_TOOLS_CALL, UNKNOWN_TOOL_NAME)}\` for a tool the server ` +
      'does not have',
    attributes: [
      { name: ATTR_MCP_METHOD_NAME, value: MCP_METHOD_TOOLS_CALL },
      ATTR_GEN_AI_TOOL_NAME,
      { name: ATTR_GEN_AI_OPERATION_NAME, value: GEN_AI_OPERATION_EXECUTE_TOOL },
      { name: ATTR_NETWORK_TRANSPORT, value: NETWORK_TRANSPORT_TCP },
      { name: ATTR_NETWORK_PROTOCOL_NAME, value: NETWORK_PROTOCOL_HTTP },
      { name: ATTR_JSONRPC_REQUEST_ID, note: 'The same on both sides.' },
      ATTR_MCP_PROTOCOL_VERSION,
      { name: ATTR_MCP_SESSION_ID, note: 'None with our tool service, which is stateless.' },
      { name: ATTR_SERVER_ADDRESS, note: "CLIENT only: the MCP server's." },
      { name: ATTR_SERVER_PORT, note: 'CLIENT only.' },
      {
        name: ATTR_ERROR_TYPE,
        note:
          'The JSON-RPC error code (`-32602` for an unknown tool), `tool_error` for a result with ' +
          '`isError` (invalid arguments, a failed conversion), the HTTP status of a refused ' +
          'request (`401`), `mcp_unreachable` when the server cannot be reached.',
      },
    ],
  },
  {
    spans: 'every span',
    attributes: [
      ATTR_CORRELATION_ID,
      ATTR_USER_ID,
      ATTR_HOST_NAME,
      ATTR_PROCESS_PID,
      ATTR_SERVICE_VERSION,
    ],
  },
  {
    spans: 'failed spans',
    about: 'status ERROR',
    attributes: [
      {
        name: ATTR_ERROR_TYPE,
        note:
          'For example `tool_not_found`, `invalid_arguments`, `tool_failed`, `tool_timeout`, ' +
          '`model_timeout`.',
      },
    ],
    events: [
      {
        // The OpenTelemetry API's own, from `span.recordException`.
        event: 'exception',
        attributes: ['exception.type', 'exception.message', 'exception.stacktrace'],
        note:
          'What was thrown, recorded by the OpenTelemetry API; none where nothing was thrown ' +
          '(an MCP result with `isError`).',
      },
    ],
  },
];

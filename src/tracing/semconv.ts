/**
 * Attribute names used on our spans.
 *
 * The GenAI semantic conventions are still in development, so we copy the few names we use
 * (as of semantic-conventions v1.41) instead of importing the `incubating` entry point, as the
 * OpenTelemetry JS README recommends: an upstream rename cannot silently change our telemetry.
 * Names under `agent.*` and `memory.*` are ours, for concepts no convention covers yet; they keep
 * the workshop's vocabulary.
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
export const GEN_AI_PROVIDER_GCP_GEMINI = 'gcp.gemini';
export const GEN_AI_TOOL_TYPE_FUNCTION = 'function';

/** General conventions (stable). */
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_USER_ID = 'user.id';

/** Our own names, for what the conventions do not cover. */
export const ATTR_AGENT_TOTAL_STEPS = 'agent.total_steps';
export const ATTR_AGENT_STOPPED_REASON = 'agent.stopped_reason';
export const ATTR_AGENT_MAX_STEPS = 'agent.max_steps';
export const ATTR_AGENT_MODEL_CALLS = 'agent.model_calls';
export const ATTR_AGENT_STEP_NUMBER = 'agent.step.number';
export const ATTR_AGENT_STEP_TYPE = 'agent.step.type';
export const ATTR_AGENT_STEP_TOOL_CALLS = 'agent.step.tool_calls';
export const ATTR_TOOL_DURATION_MS = 'tool.duration_ms';
export const ATTR_TOOL_SUCCESS = 'tool.success';
export const ATTR_TOOL_RESULT_SIZE = 'tool.result_size';
export const ATTR_TOOL_RESULT_TRUNCATED = 'tool.result_truncated';
export const ATTR_MEMORY_OPERATION = 'memory.operation';
export const ATTR_MEMORY_TYPE = 'memory.type';
export const ATTR_MEMORY_RECORDS_FOUND = 'memory.records_found';
export const ATTR_MEMORY_RECORDS_WRITTEN = 'memory.records_written';

/** Span names: the workshop's, which our users know. */
export const SPAN_AGENT_TASK = 'agent.task';
export const SPAN_LLM_GENERATE = 'llm.generate';
export const SPAN_AGENT_DELEGATE = 'agent.delegate';
export const spanNameForStep = (stepType: string): string => `agent.step.${stepType}`;
export const spanNameForTool = (toolName: string): string => `tool.${toolName}`;
export const spanNameForMemory = (operation: string): string => `memory.${operation}`;

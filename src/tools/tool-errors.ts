import { TypedError } from '../errors';

/**
 * Why a tool call failed. The model sees it as the call's result; the tool span records it as
 * `error.type`.
 */
export type ToolErrorType = 'tool_not_found' | 'invalid_arguments' | 'tool_failed' | 'tool_timeout';

export class ToolError extends TypedError<ToolErrorType> {
  override readonly name = 'ToolError';
}

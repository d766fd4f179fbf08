import { UpstreamError } from '../errors';

/** What went wrong with a model call, as the HTTP layer and the spans name it. */
export type ModelErrorType =
  | 'model_rate_limited'
  | 'model_unavailable'
  | 'model_rejected_request'
  | 'model_auth_failed'
  | 'model_timeout'
  | 'model_network_error'
  | 'model_bad_response'
  | 'model_blocked'
  | 'model_malformed_function_call';

export class ModelError extends UpstreamError<ModelErrorType, { retryAfterSeconds?: number }> {
  override readonly name = 'ModelError';
}

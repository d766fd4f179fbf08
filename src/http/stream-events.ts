import { z } from 'zod';
import { executeResponseSchema } from '../agent/execute-response';

const callId = z.string().describe('The id of the tool call, as the model gave it (or ours).');
const toolName = z.string().describe('The name of the tool the model called.');

/**
 * The events of `POST /api/v1/agent/stream`, by name: what each one's `data` carries. The stream
 * is written through these types and the OpenAPI document describes it from these schemas, so
 * the two cannot disagree. `error`'s data is the JSON error body, described with the route's codes.
 */
export const STREAM_EVENT_SCHEMAS = {
  'run.started': z
    .object({
      trace_id: executeResponseSchema.shape.trace_id,
      correlation_id: z.string().describe("The request's correlation id."),
    })
    .describe('First, once the request is accepted.'),
  'step.started': z
    .object({ step: z.number().int().min(1) })
    .describe('A model call begins (step 1, then one more after each tool round).'),
  'tool.started': z.object({ call_id: callId, name: toolName }).describe('A tool call begins.'),
  'tool.finished': z
    .object({
      call_id: callId,
      name: toolName,
      ok: z.boolean().describe('False when the tool failed; its error went to the model.'),
      duration_ms: z.number().nonnegative(),
    })
    .describe('A tool call ended.'),
  'text.delta': z
    .object({ text: z.string() })
    .describe("A piece of the model's text, as it arrives."),
  'run.finished': executeResponseSchema.describe(
    'Last, on success: exactly the body execute answers.',
  ),
} as const;

export type StreamEvents = {
  [Name in keyof typeof STREAM_EVENT_SCHEMAS]: z.input<(typeof STREAM_EVENT_SCHEMAS)[Name]>;
} & { error: { error: { code: string; message: string } } };

import { z } from 'zod';
import { LIMITS } from '../limits';

export const identifier = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(/^[\w.:@-]+$/, 'may only contain letters, digits and . _ : @ -');

/**
 * The body of an execute request. Unknown fields are rejected, so a typo (`maxSteps`) is an error,
 * not a silent default.
 */
export const executeRequestSchema = z
  .object({
    task: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(LIMITS.maxTaskLength)
      .describe('What to do; its length is counted after trimming.'),
    user_id: identifier.optional(),
    session_id: identifier.optional(),
    max_steps: z.number().int().min(1).max(LIMITS.maxStepsLimit).default(LIMITS.defaultMaxSteps),
  })
  .strict();

export type ExecuteRequest = z.infer<typeof executeRequestSchema>;

export function describeValidationError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
      const field = issue.path.join('.') || 'body';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

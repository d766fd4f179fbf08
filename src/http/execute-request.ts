import { z } from 'zod';
import { LIMITS } from '../limits';
import { nonBlankText } from '../non-blank-text';

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
    task: nonBlankText()
      .max(LIMITS.maxTaskLength)
      .describe(
        'What to do; its length is counted after trimming. Whitespace and invisible format characters (Unicode Cf, such as U+200B) alone count as empty.',
      ),
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

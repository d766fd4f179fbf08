import { z } from 'zod';
import { LIMITS } from '../limits';
import { isBlank, nonBlankText } from '../non-blank-text';

const word = (pattern: RegExp, rule: string) =>
  nonBlankText().max(LIMITS.feedbackMaxNameLength).regex(pattern, rule);

/** Control characters other than tab and newline: nothing a person types into a comment. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * A comment is optional free text: a blank one (an empty comment box, or only invisible
 * characters) is no comment, rather than an error on a thumbs-up.
 */
function cleanComment(text: string): string | undefined {
  const cleaned = text.replace(CONTROL_CHARACTERS, '').trim();
  return isBlank(cleaned) ? undefined : cleaned;
}

const DEFAULT_FEEDBACK_NAME = 'user_feedback';

/** The route of user feedback: a POST that starts no run. */
export const FEEDBACK_PATH = '/api/v1/agent/feedback';

/**
 * The body of a feedback request: which run (`trace_id` of its answer), what is evaluated (`name`),
 * and a numeric `score`, a `label` (a low-cardinality word such as `thumbs_up`), or both. Unknown
 * fields are rejected, as on every route.
 */
export const feedbackRequestSchema = z
  .object({
    trace_id: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'must be the trace_id of an answer: 32 lowercase hex digits'),
    name: word(/^[\w.:-]+$/, 'may only contain letters, digits and . _ : -').default(
      DEFAULT_FEEDBACK_NAME,
    ),
    // Before: any number. A negative one reached the span but never the score histogram (the
    // SDK drops it), and two of 1e308 made its sum Infinity until the process restarted.
    score: z
      .number()
      .min(0, 'must be 0 or more (a thumbs-down is 0)')
      .max(LIMITS.feedbackMaxScore)
      .optional(),
    label: word(/^[\w .:-]+$/, 'may only contain letters, digits, spaces and . _ : -').optional(),
    comment: z.string().max(LIMITS.feedbackMaxCommentLength).transform(cleanComment).optional(),
  })
  .strict()
  .refine((body) => body.score !== undefined || body.label !== undefined, {
    message: 'send a score, a label, or both',
    path: ['score'],
  });

export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

/** What a feedback request is answered: the run, what was evaluated, and how many more it takes. */
export const feedbackResponseSchema = z.object({
  trace_id: z.string(),
  name: z.string(),
  feedback_left: z.number().int().min(0),
});

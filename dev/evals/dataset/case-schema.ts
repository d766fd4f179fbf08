import { z } from 'zod';

/**
 * One evaluation case: a line of a JSONL dataset (`evals/datasets/*.jsonl`). What is sent (the
 * task, and earlier turns of the conversation), and what a good run does: its outcome, its tool
 * trajectory, delegation, memory, budgets, and what its answer says. Every expectation is optional;
 * each evaluator checks only those it owns (docs/evaluations.md).
 */

/** A regular expression's source, checked here so that a bad one names its line. */
const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not a valid regular expression' },
);

/** A test on one argument's value; every test given must hold. */
const predicateSchema = z
  .strictObject({
    equals: z.unknown().optional(),
    contains: z.string().optional(),
    matches: regexSource.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    one_of: z.array(z.unknown()).min(1).optional(),
  })
  .refine((predicate) => Object.keys(predicate).length > 0, {
    error: 'a predicate needs at least one of equals, contains, matches, min, max, one_of',
  });

/**
 * A tool call the run should make: its name, and its arguments matched exactly (`args`), against a
 * JSON schema (`args_schema`) or by predicates on some of them (`args_where`); and whether it
 * should succeed (`ok`, default true: a call that failed is not the call that was asked for).
 */
const expectedCallSchema = z
  .strictObject({
    name: z.string().min(1),
    args: z.record(z.string(), z.unknown()).optional(),
    args_schema: z.record(z.string(), z.unknown()).optional(),
    args_where: z.record(z.string(), predicateSchema).optional(),
    ok: z.boolean().default(true),
  })
  .refine(
    (call) =>
      [call.args, call.args_schema, call.args_where].filter((match) => match !== undefined)
        .length <= 1,
    { error: 'match the arguments one way: args, args_schema or args_where' },
  );

/** Text the answer must (facts) or must not (forbidden) contain: words, or a pattern. */
const factSchema = z.union([z.string().min(1), z.strictObject({ matches: regexSource })]);

/**
 * One request: the execute body's fields, which may be invalid on purpose (a blank task, a
 * `max_steps` out of range) to check the service refuses them; or a raw `body` sent as it is.
 */
const turnSchema = z
  .strictObject({
    task: z.string().optional(),
    user_id: z.string().optional(),
    session_id: z.string().optional(),
    max_steps: z.number().optional(),
    body: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((turn) => (turn.task === undefined) !== (turn.body === undefined), {
    error: 'give either task (with user_id, session_id, max_steps) or a raw body',
  })
  .refine((turn) => turn.body === undefined || Object.keys(turn).length === 1, {
    error: 'a raw body goes alone',
  });

const expectationSchema = z.strictObject({
  /** The HTTP status of the answer. */
  status: z.number().int().min(100).max(599).default(200),
  /** `error.code` of a refusal. */
  error_code: z.string().optional(),
  stopped_reason: z.enum(['completed', 'max_steps']).optional(),
  tools: z
    .strictObject({
      /**
       * `exact`: these calls and no other, in this order; `in_order`: these, in this order, others
       * allowed between; `any_order`: these, in any order, others allowed.
       */
      order: z.enum(['exact', 'in_order', 'any_order']),
      calls: z.array(expectedCallSchema),
    })
    .optional(),
  /** A run of the sub-agent joined this trace under one of the run's tool calls. */
  delegated: z.boolean().optional(),
  /** `recalled`: memory gave the model an earlier turn before it answered; `empty`: nothing. */
  memory: z.enum(['recalled', 'empty']).optional(),
  budget: z
    .strictObject({
      max_steps: z.number().int().min(0).optional(),
      max_model_calls: z.number().int().min(0).optional(),
      max_tokens: z.number().int().min(0).optional(),
    })
    .optional(),
  facts: z.array(factSchema).min(1).optional(),
  forbidden: z.array(factSchema).min(1).optional(),
  /** A reference answer, for the judge. */
  reference: z.string().min(1).optional(),
});

export const evalCaseSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lowercase letters, digits and dashes, at most 48'),
  description: z.string().optional(),
  input: turnSchema,
  /** Earlier turns, sent first and in order (the conversation memory should carry). */
  setup: z.array(turnSchema).default([]),
  expect: expectationSchema,
  /**
   * `emulator-only`: skipped unless the runner's own services run on the emulator (it needs the
   * emulator's behaviour, or their settings).
   */
  tags: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
});

export type EvalCase = z.infer<typeof evalCaseSchema>;
export type Turn = z.infer<typeof turnSchema>;
export type ExpectedCall = z.infer<typeof expectedCallSchema>;
export type Predicate = z.infer<typeof predicateSchema>;
export type Fact = z.infer<typeof factSchema>;

/** The tag of cases only the runner's own services, on the emulator, answer as expected. */
export const EMULATOR_ONLY = 'emulator-only';

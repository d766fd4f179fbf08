import { z } from 'zod';

/**
 * What an agent service answers to an execute request. One schema for both sides: the sub-agent
 * client checks the sub-agent's answers with it (a reply from another process is input like any
 * other), and the OpenAPI document describes the answer with it.
 */
export const executeResponseSchema = z.object({
  response: z.string().describe("The model's final answer, or a note that the run stopped."),
  steps: z
    .array(
      z.object({
        step: z.number().int().min(1),
        tools_called: z.array(z.string()).describe('The tools the model asked for in this round.'),
      }),
    )
    .describe('One entry per tool round.'),
  total_steps: z.number().int().min(0),
  stopped_reason: z
    .enum(['completed', 'max_steps'])
    .describe('completed: the model answered; max_steps: the step limit was hit.'),
  trace_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .nullable()
    .describe('The trace this request produced; null only with OTEL_SDK_DISABLED=true.'),
  usage: z.object({
    input_tokens: z.number().int().min(0),
    output_tokens: z.number().int().min(0),
    // Null when the model has no price: an unknown cost is not 0. A sub-agent older than the
    // field counts as unknown too.
    cost_usd: z
      .number()
      .nonnegative()
      .nullable()
      .default(null)
      .describe('What the run cost in US dollars, from the pricing table; null when unknown.'),
  }),
  warnings: z
    .array(
      z.object({
        code: z.enum(['memory_unavailable']),
        message: z.string(),
      }),
    )
    .optional()
    .describe(
      'Only when the run had to do without something: memory_unavailable means the answer was given without memory (the database failed), and this turn may not be remembered.',
    ),
  feedback: z
    .object({ url: z.string(), expires_at: z.string() })
    .optional()
    .describe(
      'Where and until when feedback on this run is taken, with its trace_id; absent where it is not (the sub-agent, tracing off).',
    ),
});

export type ExecuteResponse = z.infer<typeof executeResponseSchema>;

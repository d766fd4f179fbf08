import { z } from 'zod';

/** What the judge is asked to grade. */
export interface JudgeRequest {
  task: string;
  answer: string;
  reference: string;
}

/** The judge's verdict, in the rubric's terms (evals/rubric.md). */
export const verdictSchema = z.object({
  score: z.number().min(0).max(1),
  label: z.enum(['pass', 'fail']),
  explanation: z.string().min(1),
});

export type Verdict = z.infer<typeof verdictSchema>;

/** An LLM (or the emulator's scripted judge) that grades an answer against a reference. */
export interface Judge {
  grade(request: JudgeRequest): Promise<Verdict>;
}

/** The judge answered something that is not a verdict. */
export class JudgeError extends Error {
  override readonly name = 'JudgeError';
}

/** The most of the judge's text quoted in an error. */
const QUOTED_CHARS = 200;

/** The user message of a judgement: the tags the rubric names, and the JSON it asks for. */
export function judgementPrompt({ task, answer, reference }: JudgeRequest): string {
  return [
    'Grade the answer to the task below against the reference, following your rubric.',
    `<task>${task}</task>`,
    `<answer>${answer}</answer>`,
    `<reference>${reference}</reference>`,
    'Reply with one JSON object and nothing else: {"score": <from 0 to 1>, "label": "pass" or "fail", "explanation": "<one sentence>"}',
  ].join('\n');
}

/** The verdict in the judge's text, which a model may wrap in a Markdown code fence. */
export function parseVerdict(text: string): Verdict {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  let parsed: unknown;
  try {
    parsed = json === undefined ? undefined : JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const verdict = verdictSchema.safeParse(parsed);
  if (!verdict.success)
    throw new JudgeError(
      `the judge answered no verdict: ${JSON.stringify(text.slice(0, QUOTED_CHARS))}`,
    );
  return verdict.data;
}

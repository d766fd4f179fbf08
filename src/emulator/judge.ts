/**
 * The emulator as a judge: offline, an LLM-as-judge evaluator (dev/evals) still gets a verdict,
 * deterministic and explainable. A judge's request holds the answer to grade in `<answer>` and
 * what a good answer says in `<reference>`; the verdict is the share of the reference's words that
 * the answer uses (a recall of words, as ROUGE-1 counts it), in the JSON a real judge is asked for.
 */

const ANSWER = /<answer>([\s\S]*?)<\/answer>/i;
const REFERENCE = /<reference>([\s\S]*?)<\/reference>/i;
const WORD = /[\p{L}\p{N}]+/gu;
/** Words that say nothing about whether an answer is right. */
const STOP_WORDS = new Set(
  'the and for are was were with that this from into its his her their your you our has have had not but can will would should about than then them they what when where which who how why any all'.split(
    ' ',
  ),
);
/** At or above this share of the reference's words, the answer passes. */
const PASS_SHARE = 0.5;
/** Missing words named in the explanation, at most. */
const NAMED_MISSING = 5;

function contentWords(text: string): string[] {
  const words = (text.toLowerCase().match(WORD) ?? []).filter(
    (word) => (word.length >= 3 || /\d/.test(word)) && !STOP_WORDS.has(word),
  );
  return [...new Set(words)];
}

export interface Verdict {
  score: number;
  label: 'pass' | 'fail';
  explanation: string;
}

/** The verdict on a judge's request; `undefined` when the task is not one. */
export function judge(task: string): Verdict | undefined {
  const answer = ANSWER.exec(task)?.[1];
  const reference = REFERENCE.exec(task)?.[1];
  if (answer === undefined || reference === undefined) return undefined;
  const expected = contentWords(reference);
  const used = new Set(contentWords(answer));
  const missing = expected.filter((word) => !used.has(word));
  const score = expected.length
    ? Math.round(((expected.length - missing.length) / expected.length) * 100) / 100
    : 1;
  const named = missing.slice(0, NAMED_MISSING).join(', ');
  return {
    score,
    label: score >= PASS_SHARE ? 'pass' : 'fail',
    explanation:
      `The answer uses ${expected.length - missing.length} of the reference's ${expected.length} words` +
      (missing.length
        ? `; missing: ${named}${missing.length > NAMED_MISSING ? ', ...' : ''}.`
        : '.'),
  };
}

/** The verdict as the model's text, or `undefined` when the task is no judge's request. */
export function judgeVerdict(task: string): string | undefined {
  const verdict = judge(task);
  return verdict && JSON.stringify(verdict);
}

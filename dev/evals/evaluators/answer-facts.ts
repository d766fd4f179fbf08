import type { Fact } from '../dataset/case-schema';
import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

const describe = (fact: Fact) => (typeof fact === 'string' ? `"${fact}"` : `/${fact.matches}/`);

/** Case and spacing aside: "17 * 23" is "17*23", and "Europe/Madrid" is "europe/madrid". */
const normalized = (text: string) => text.toLowerCase().replace(/\s+/g, '');

function states(answer: string, fact: Fact): boolean {
  if (typeof fact === 'string') return normalized(answer).includes(normalized(fact));
  return new RegExp(fact.matches, 'iu').test(answer);
}

/**
 * The answer against the case's facts, deterministically: the share of the expected facts it
 * states and of the forbidden ones it does not (a leaked secret, another user's data).
 */
export const answerFacts: Evaluator = {
  name: 'answer_facts',
  needsTrace: false,
  evaluate({ evalCase, answer }) {
    const { facts = [], forbidden = [] } = evalCase.expect;
    if (!facts.length && !forbidden.length) return undefined;
    const text = answer.answer ?? '';
    const missing = facts.filter((fact) => !states(text, fact));
    const leaked = forbidden.filter((fact) => states(text, fact));
    const held = facts.length + forbidden.length - missing.length - leaked.length;
    const problems = [
      ...missing.map((fact) => `missing ${describe(fact)}`),
      ...leaked.map((fact) => `states forbidden ${describe(fact)}`),
    ];
    return scored(
      'answer_facts',
      held / (facts.length + forbidden.length),
      problems.length
        ? problems.join('; ')
        : `states the ${facts.length} fact(s)${forbidden.length ? ', none forbidden' : ''}`,
    );
  },
};

import type { ConversationTurn } from './memory-store';

/**
 * What PostgreSQL text cannot hold: U+0000 (the statement fails, `invalid byte sequence for
 * encoding "UTF8": 0x00`) and a lone UTF-16 surrogate, which has no UTF-8 form (the driver sends
 * U+FFFD in its place). In `u` mode a surrogate pair is one code point, so `\p{Cs}` finds only the
 * lone ones.
 */
const NOT_STORABLE = /[\0\p{Cs}]/gu;

/**
 * Text as memory keeps it, in either store: each character PostgreSQL cannot hold becomes U+FFFD,
 * the replacement character. Nothing is refused: the model's answer cannot be, and a task that
 * the model took should not cost the turn. One character for one, so that lengths and bounds are
 * unchanged and the words either side stay apart.
 */
export const storableText = (text: string): string => text.replace(NOT_STORABLE, '\uFFFD');

export const storableTurn = (turn: ConversationTurn): ConversationTurn => ({
  ...turn,
  task: storableText(turn.task),
  response: storableText(turn.response),
});

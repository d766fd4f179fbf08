import type { ConversationTurn } from './memory-store';

/**
 * What PostgreSQL text cannot hold: U+0000 (the statement fails, `invalid byte sequence for
 * encoding "UTF8": 0x00`) and a lone UTF-16 surrogate, which has no UTF-8 form (the driver sends
 * U+FFFD in its place). In `u` mode a surrogate pair is one code point, so `\p{Cs}` finds only the
 * lone ones.
 */
const NOT_STORABLE = /[\0\p{Cs}]/gu;

/**
 * Text as memory keeps it, and searches for it, in either store: each character PostgreSQL cannot
 * hold becomes U+FFFD, the replacement character, one for one, so that the words either side stay
 * apart. Nothing is refused: the model's answer cannot be, and a task that the model took should
 * not cost the turn. And in one Unicode form (NFC): `é` typed as one character and as `e` and an
 * accent are the same word to the reader, and must be to a search (PostgreSQL compares code
 * points). Memory's bounds are taken on the text as kept.
 */
export const storableText = (text: string): string =>
  text.normalize('NFC').replace(NOT_STORABLE, '\uFFFD');

export const storableTurn = (turn: ConversationTurn): ConversationTurn => ({
  ...turn,
  task: storableText(turn.task),
  response: storableText(turn.response),
});

import { z } from 'zod';

/**
 * A character that is neither whitespace nor an invisible format character (Unicode category Cf:
 * zero-width space U+200B, word joiner U+2060, soft hyphen U+00AD, byte-order mark U+FEFF, …). A
 * task of zero-width spaces says as little as one of spaces, and would spend a model call on it.
 */
const SAYS_SOMETHING = /[^\s\p{Cf}]/u;

const EMPTY = 'must not be empty';

/** Nothing but whitespace and format characters (or nothing at all). */
export const isBlank = (text: string): boolean => !SAYS_SOMETHING.test(text);

/**
 * The one rule for every text field that must not be empty: trimmed, and holding at least one
 * character that is neither whitespace nor a format character. A length and a pattern, so that
 * the OpenAPI document states the rule too; the first that fails is the one message.
 */
export const nonBlankText = () =>
  z
    .string()
    .trim()
    .min(1, { error: EMPTY, abort: true })
    .regex(SAYS_SOMETHING, { error: EMPTY, abort: true });

import type { GeminiSdk } from '../../src/models/gemini-sdk';

/**
 * The id a tool call carries, by SDK: ours (`call_<uuid>`) where the API gives none, as always to
 * `@google/generative-ai`; the API's own where it gives one, as the emulator does to
 * `@google/genai`.
 */
export const CALL_ID: Record<GeminiSdk, RegExp> = {
  'generative-ai': /^call_[0-9a-f-]{36}$/,
  genai: /^[0-9a-f]{12}$/,
};

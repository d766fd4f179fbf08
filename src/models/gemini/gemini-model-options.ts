/** What either SDK's adapter is built from. */
export interface GeminiModelOptions {
  apiKey: string;
  modelName: string;
  /** Any Gemini-compatible endpoint: the real API, a proxy, a gateway or the offline emulator. */
  baseUrl?: string;
}

/**
 * The Gemini API (AI Studio) as the GenAI conventions name it (`gen_ai.provider.name`): the
 * provider of both SDKs' adapters, and its key in the pricing table.
 */
export const GEMINI_PROVIDER_NAME = 'gcp.gemini';

/** Where both SDKs send requests when no base URL is given. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * The API version both SDKs call, named so that they speak the same wire (and the emulator hears
 * one): `@google/genai` 3 defaults to `v1` and reads `GOOGLE_GENAI_API_VERSION`, while
 * `@google/generative-ai` only knows `v1beta`.
 */
export const GEMINI_API_VERSION = 'v1beta';

/** Both SDKs append `/{version}/...` to the base URL themselves, and break on a trailing slash. */
export const withoutTrailingSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

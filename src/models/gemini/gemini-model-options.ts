/** What either SDK's adapter is built from. */
export interface GeminiModelOptions {
  apiKey: string;
  modelName: string;
  /** Any Gemini-compatible endpoint: the real API, a proxy, a gateway or the offline emulator. */
  baseUrl?: string;
}

/** Where both SDKs send requests when no base URL is given. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Both SDKs append `/v1beta/...` to the base URL themselves, and break on a trailing slash. */
export const withoutTrailingSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

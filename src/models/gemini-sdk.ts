import { GeminiModel } from './gemini/gemini-model';
import { GenaiModel } from './genai/genai-model';
import type { ChatModel } from './model';

/**
 * The two Gemini SDKs the service can call the API with (`GEMINI_SDK`): `@google/generative-ai`,
 * the one asked for and deprecated upstream, and `@google/genai`, Google's maintained one.
 */
export const GEMINI_SDKS = ['generative-ai', 'genai'] as const;

export type GeminiSdk = (typeof GEMINI_SDKS)[number];

export interface GeminiModelSettings {
  sdk: GeminiSdk;
  apiKey: string;
  modelName: string;
  baseUrl?: string;
}

/** The adapter of the chosen SDK: the same `ChatModel`, the same spans, the same failures. */
export function createGeminiModel({ sdk, ...options }: GeminiModelSettings): ChatModel {
  return sdk === 'genai' ? new GenaiModel(options) : new GeminiModel(options);
}

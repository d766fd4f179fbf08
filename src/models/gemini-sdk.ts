import type { GeminiSdk } from '../variables';
import type { ChatModel } from './model';

/**
 * The two Gemini SDKs the service can call the API with (`GEMINI_SDK`): `@google/generative-ai`,
 * the one asked for and deprecated upstream, and `@google/genai`, Google's maintained one. Their
 * names are in the variables' schema, which the configuration checks before any model exists.
 */
export { GEMINI_SDKS, type GeminiSdk } from '../variables';

export interface GeminiModelSettings {
  sdk: GeminiSdk;
  apiKey: string;
  modelName: string;
  baseUrl?: string;
}

/**
 * The adapter of the chosen SDK: the same `ChatModel`, the same spans, the same failures. Only the
 * chosen SDK is loaded: `@google/genai` and its dependencies add start-up time for nothing when the
 * other one runs.
 */
export async function createGeminiModel({
  sdk,
  ...options
}: GeminiModelSettings): Promise<ChatModel> {
  if (sdk === 'genai') return new (await import('./genai/genai-model')).GenaiModel(options);
  return new (await import('./gemini/gemini-model')).GeminiModel(options);
}

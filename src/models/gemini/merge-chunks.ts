import type { GenerateContentResponse, Part } from '@google/generative-ai';

/** The text a streamed chunk carries, if any. */
export function chunkText(chunk: GenerateContentResponse): string | undefined {
  const parts = chunk.candidates?.[0]?.content?.parts ?? [];
  const text = parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
  return text || undefined;
}

/**
 * One response from the chunks of a stream: the parts in order; the finish reason, usage, model
 * version and response id of the last chunk that has them. Gemini's usage is cumulative, so it is
 * the final chunk's, never a sum.
 */
export function mergeChunks(chunks: readonly GenerateContentResponse[]): GenerateContentResponse {
  const parts: Part[] = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
  const last = <T>(pick: (chunk: GenerateContentResponse) => T | undefined): T | undefined =>
    chunks.reduce<T | undefined>((found, chunk) => pick(chunk) ?? found, undefined);
  const runtime = (chunk: GenerateContentResponse) =>
    chunk as GenerateContentResponse & { modelVersion?: string; responseId?: string };
  const finishReason = last((chunk) => chunk.candidates?.[0]?.finishReason);
  return {
    candidates: chunks.some((chunk) => chunk.candidates?.length)
      ? [{ index: 0, content: { role: 'model', parts }, finishReason }]
      : undefined,
    promptFeedback: last((chunk) => chunk.promptFeedback),
    usageMetadata: last((chunk) => chunk.usageMetadata),
    ...{
      modelVersion: last((chunk) => runtime(chunk).modelVersion),
      responseId: last((chunk) => runtime(chunk).responseId),
    },
  };
}

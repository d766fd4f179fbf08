import type { TurnChunk } from '../model';
import type { GeminiPart, GeminiResponse } from './gemini-response';

/** The text a streamed chunk carries, if any. */
function chunkText(chunk: GeminiResponse): string | undefined {
  const parts = chunk.candidates?.[0]?.content?.parts ?? [];
  const text = parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
  return text || undefined;
}

/**
 * One response from the chunks of a stream: the parts in order; the finish reason, usage, model
 * version and response id of the last chunk that has them. Gemini's usage is cumulative, so it is
 * the final chunk's, never a sum.
 */
function mergeChunks(chunks: readonly GeminiResponse[]): GeminiResponse {
  const parts: GeminiPart[] = chunks.flatMap(
    (chunk) => chunk.candidates?.[0]?.content?.parts ?? [],
  );
  const last = <T>(pick: (chunk: GeminiResponse) => T | undefined): T | undefined =>
    chunks.reduce<T | undefined>((found, chunk) => pick(chunk) ?? found, undefined);
  const finishReason = last((chunk) => chunk.candidates?.[0]?.finishReason);
  return {
    candidates: chunks.some((chunk) => chunk.candidates?.length)
      ? [{ content: { parts }, finishReason }]
      : undefined,
    promptFeedback: last((chunk) => chunk.promptFeedback),
    usageMetadata: last((chunk) => chunk.usageMetadata),
    modelVersion: last((chunk) => chunk.modelVersion),
    responseId: last((chunk) => chunk.responseId),
  };
}

/** Reads a stream to its end, telling `onChunk` of each chunk as it arrives; one response. */
export async function readStream(
  stream: AsyncIterable<GeminiResponse>,
  onChunk: (chunk: TurnChunk) => void,
): Promise<GeminiResponse> {
  const chunks: GeminiResponse[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    onChunk({ textDelta: chunkText(chunk) });
  }
  return mergeChunks(chunks);
}

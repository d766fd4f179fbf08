import type { JsonObject } from './tool';

/**
 * A tool result small enough for the model's context and for a span: past `maxChars` of JSON it is
 * replaced by a preview that says it was cut and by how much, so the model can ask for less.
 */
export function boundToolResult(
  result: JsonObject,
  maxChars: number,
): { result: JsonObject; size: number; truncated: boolean } {
  const json = JSON.stringify(result) ?? 'null';
  if (json.length <= maxChars) return { result, size: json.length, truncated: false };
  return {
    result: {
      truncated: true,
      original_chars: json.length,
      note: `The result was ${json.length} characters; only the first ${maxChars} are shown. Ask for less (a narrower query, a smaller limit).`,
      preview: json.slice(0, maxChars),
    },
    size: json.length,
    truncated: true,
  };
}

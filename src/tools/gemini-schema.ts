import { z } from 'zod';
import type { JsonObject } from '../agent/model';

/**
 * The JSON-schema keywords Gemini's function declarations accept. Others (`$schema`,
 * `additionalProperties`, ...) make the real API answer 400, so they are dropped here rather
 * than trusted to every provider.
 */
const GEMINI_SCHEMA_KEYWORDS = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'items',
  'properties',
  'required',
  'minimum',
  'maximum',
]);

function keepGeminiKeywords(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(keepGeminiKeywords);
  if (schema === null || typeof schema !== 'object') return schema;
  const kept: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!GEMINI_SCHEMA_KEYWORDS.has(keyword)) continue;
    kept[keyword] =
      keyword === 'properties'
        ? Object.fromEntries(Object.entries(value as JsonObject).map(([name, property]) => [name, keepGeminiKeywords(property)]))
        : keepGeminiKeywords(value);
  }
  return kept;
}

/** The function-declaration `parameters` for a tool, derived from the zod schema that validates its arguments. */
export function toFunctionParameters(schema: z.ZodType): JsonObject {
  return keepGeminiKeywords(z.toJSONSchema(schema, { io: 'input' })) as JsonObject;
}

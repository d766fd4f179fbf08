import type { JsonObject, ToolDeclaration } from '../model';

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
        ? Object.fromEntries(
            Object.entries(value as JsonObject).map(([name, property]) => [
              name,
              keepGeminiKeywords(property),
            ]),
          )
        : keepGeminiKeywords(value);
  }
  return kept;
}

/** The function-declaration `parameters` Gemini accepts, from a tool's JSON Schema. */
export function toFunctionParameters(schema: JsonObject): JsonObject {
  return keepGeminiKeywords(schema) as JsonObject;
}

/** A function declaration as both SDKs send it (`parameters`: the subset of JSON Schema above). */
export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  parameters: JsonObject;
}

const declared = new WeakMap<readonly ToolDeclaration[], GeminiFunctionDeclaration[]>();

/**
 * Gemini's function declarations for a tool list, computed once per list (the agent passes the same
 * one on every call).
 */
export function toFunctionDeclarations(
  tools: readonly ToolDeclaration[],
): GeminiFunctionDeclaration[] {
  let declarations = declared.get(tools);
  if (!declarations) {
    declarations = tools.map(({ name, description, parameters }) => ({
      name,
      description,
      parameters: toFunctionParameters(parameters),
    }));
    declared.set(tools, declarations);
  }
  return declarations;
}

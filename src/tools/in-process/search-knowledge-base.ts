import { z } from 'zod';
import { nonBlankText } from '../../non-blank-text';
import { KnowledgeBase } from '../knowledge-base';
import { defineTool } from '../tool';

let shared: KnowledgeBase | undefined;

/**
 * Built on first use, not at start-up: the index costs nothing to a service that never searches.
 */
function knowledgeBase(): KnowledgeBase {
  shared ??= KnowledgeBase.fromDirectory();
  return shared;
}

export const searchKnowledgeBase = defineTool({
  name: 'search_knowledge_base',
  description:
    'Full-text search over the tracing workshop notes (traces, spans, context propagation, sampling, exporters, ' +
    'Jaeger, GenAI semantic conventions, tracing AI agents). Returns the best matching sections with a snippet.',
  argumentsSchema: z
    .object({
      query: nonBlankText().max(500).describe('What to look for, in a few words'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(10)
        .optional()
        .describe('How many results to return (default 3)'),
    })
    .strict(),
  run: ({ query, limit = 3 }) => {
    const results = knowledgeBase().search(query, limit);
    return { query, total: results.length, results };
  },
});

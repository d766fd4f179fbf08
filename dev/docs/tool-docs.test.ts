import { z } from 'zod';
import { defineTool } from '../../src/tools/tool';
import { argumentsOf } from './tool-docs';

const withArguments = (argumentsSchema: z.ZodType) =>
  argumentsOf(defineTool({ name: 't', description: 'T.', argumentsSchema, run: () => ({}) }));

describe("docs/tools.md's arguments column", () => {
  it('gives each argument its type, bounds, default and meaning', () => {
    const schema = z.object({
      query: z.string().min(1).max(500).describe('What to look for'),
      limit: z.number().int().min(1).max(10).default(3),
      tags: z.array(z.string()).max(5).optional(),
    });

    expect(withArguments(schema)).toBe(
      '`query` (string, 1 to 500 chars): What to look for; `limit` (integer, 1 to 10, ' +
        'default 3); `tags` (strings, ≤ 5 items, optional)',
    );
  });

  it('lists the values of an enumeration, and the type of each side of a union', () => {
    const schema = z.object({ unit: z.enum(['C', 'F']), value: z.union([z.string(), z.number()]) });

    expect(withArguments(schema)).toBe(
      '`unit` (string, one of "C", "F"); `value` (string or number)',
    );
  });

  it('says a strict bound as such, and not the safe range zod gives every integer', () => {
    const schema = z.object({ count: z.number().int().positive() });

    expect(withArguments(schema)).toBe('`count` (integer, > 0)');
  });
});

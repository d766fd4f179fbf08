import { z } from 'zod';
import { toFunctionDeclarations, toFunctionParameters } from './gemini-schema';

describe('toFunctionParameters', () => {
  it('keeps a property that happens to be called $schema or additionalProperties', () => {
    const parameters = toFunctionParameters(
      z.toJSONSchema(
        z.object({ $schema: z.string(), additionalProperties: z.boolean() }).strict(),
        { io: 'input' },
      ),
    );
    expect(parameters).toEqual({
      type: 'object',
      properties: { $schema: { type: 'string' }, additionalProperties: { type: 'boolean' } },
      required: ['$schema', 'additionalProperties'],
    });
  });
});

describe('toFunctionDeclarations', () => {
  const nested = z
    .object({
      filter: z
        .object({
          field: z.string().min(1),
          rules: z.array(z.object({ op: z.enum(['eq', 'ne']), value: z.number() }).strict()).max(3),
        })
        .strict(),
    })
    .strict();
  const tools = [
    {
      name: 'nested',
      description: 'Nested objects.',
      parameters: z.toJSONSchema(nested, { io: 'input' }),
    },
  ];

  it('keeps only the keywords Gemini accepts, at any depth', () => {
    expect(toFunctionDeclarations(tools)).toEqual([
      {
        name: 'nested',
        description: 'Nested objects.',
        parameters: {
          type: 'object',
          properties: {
            filter: {
              type: 'object',
              properties: {
                field: { type: 'string' },
                rules: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      op: { type: 'string', enum: ['eq', 'ne'] },
                      value: { type: 'number' },
                    },
                    required: ['op', 'value'],
                  },
                },
              },
              required: ['field', 'rules'],
            },
          },
          required: ['filter'],
        },
      },
    ]);
  });

  it('converts a tool list once, however many calls declare it', () => {
    expect(toFunctionDeclarations(tools)).toBe(toFunctionDeclarations(tools));
  });
});

import { z } from 'zod';
import { calculator } from './in-process/calculator';
import { ToolRegistry } from './registry';
import { runToolCall } from './run-tool-call';
import { type JsonObject, type Tool, type ToolCall, defineTool } from './tool';
import { ToolError } from './tool-errors';

const echo = defineTool({
  name: 'echo',
  description: 'Repeats a message a number of times.',
  argumentsSchema: z
    .object({
      message: z.string().min(1).describe('What to repeat'),
      times: z.number().int().min(1).max(5).optional(),
    })
    .strict(),
  run: ({ message, times = 1 }) => ({ echoed: Array(times).fill(message).join(' ') }),
});

const explode = defineTool({
  name: 'explode',
  description: 'Always fails.',
  argumentsSchema: z.object({}).strict(),
  run: () => {
    throw new Error('disk on fire');
  },
});

const rejectAsync = defineTool({
  name: 'reject_async',
  description: 'Fails asynchronously with a non-Error value.',
  argumentsSchema: z.object({}).strict(),
  run: () => Promise.reject('plain string reason'),
});

/** Never resolves; remembers the signal it was given so a test can inspect it. */
function makeHang() {
  const seen: { signal?: AbortSignal } = {};
  const tool = defineTool({
    name: 'hang',
    description: 'Never finishes.',
    argumentsSchema: z.object({}).strict(),
    run: (_args, { signal }) => {
      seen.signal = signal;
      return new Promise<JsonObject>(() => undefined);
    },
  });
  return { tool, seen };
}

/** Finishes only when its signal aborts, rejecting with the abort reason. */
function makeCancellable() {
  const seen: { signal?: AbortSignal } = {};
  const tool = defineTool({
    name: 'cancellable',
    description: 'Waits for cancellation.',
    argumentsSchema: z.object({}).strict(),
    run: (_args, { signal }) => {
      seen.signal = signal;
      return new Promise<JsonObject>((_, reject) => {
        if (signal.aborted) reject(new Error(`cancelled: ${String(signal.reason)}`));
        signal.addEventListener(
          'abort',
          () => reject(new Error(`cancelled: ${String(signal.reason)}`)),
          { once: true },
        );
      });
    },
  });
  return { tool, seen };
}

/** Answers whatever result the test hands it in `result`. */
const returns = defineTool({
  name: 'returns',
  description: 'Answers the result it is given.',
  argumentsSchema: z.object({ result: z.record(z.string(), z.unknown()) }).strict(),
  run: ({ result }) => result,
});

let callCount = 0;
function call(name: string, args: JsonObject = {}): ToolCall {
  callCount += 1;
  return { id: `call-${callCount}`, name, arguments: args };
}

async function toolErrorOf(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

const registry = new ToolRegistry([echo, explode, rejectAsync, calculator, returns] as Tool[]);
const options = { timeoutMs: 1_000 };

describe('runToolCall', () => {
  it('runs a tool with validated arguments and returns its output', async () => {
    await expect(
      runToolCall(registry, call('echo', { message: 'hi', times: 3 }), options),
    ).resolves.toEqual({ echoed: 'hi hi hi' });
  });

  it('runs the real calculator', async () => {
    await expect(
      runToolCall(registry, call('calculator', { expression: '17 * 23' }), options),
    ).resolves.toEqual({
      expression: '17 * 23',
      result: 391,
    });
  });

  describe('unknown tools', () => {
    it.each(['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''])(
      'answers tool_not_found for %j, listing the available tools',
      async (name) => {
        const error = await toolErrorOf(runToolCall(registry, call(name), options));
        expect(error.errorType).toBe('tool_not_found');
        expect(error.message).toBe(
          `Unknown tool "${name}". Available tools: echo, explode, reject_async, calculator, returns.`,
        );
      },
    );
  });

  describe('invalid arguments', () => {
    it('names the field that is wrong', async () => {
      const error = await toolErrorOf(
        runToolCall(registry, call('echo', { message: 'hi', times: 9 }), options),
      );
      expect(error.errorType).toBe('invalid_arguments');
      expect(error.message).toMatch(/^Invalid arguments for echo: times: /);
    });

    it('names a missing field', async () => {
      const error = await toolErrorOf(runToolCall(registry, call('calculator', {}), options));
      expect(error.errorType).toBe('invalid_arguments');
      expect(error.message).toMatch(/^Invalid arguments for calculator: expression: /);
    });

    it('reports an unexpected field', async () => {
      const error = await toolErrorOf(
        runToolCall(registry, call('echo', { message: 'hi', loud: true }), options),
      );
      expect(error.errorType).toBe('invalid_arguments');
      expect(error.message).toContain('loud');
    });
  });

  describe('failures', () => {
    it('answers tool_failed with the message of what the tool threw', async () => {
      const error = await toolErrorOf(runToolCall(registry, call('explode'), options));
      expect(error.errorType).toBe('tool_failed');
      expect(error.message).toBe('explode failed: disk on fire');
      expect((error.cause as Error).message).toBe('disk on fire');
    });

    it('answers tool_failed for a rejection that is not an Error', async () => {
      const error = await toolErrorOf(runToolCall(registry, call('reject_async'), options));
      expect(error.errorType).toBe('tool_failed');
      expect(error.message).toBe('reject_async failed: plain string reason');
    });

    it('says once that the tool failed when its error says so already (an MCP server relays its own)', async () => {
      const relayed = defineTool({
        name: 'convert_units',
        description: 'Fails as the tool service answers an impossible conversion.',
        argumentsSchema: z.object({}).strict(),
        run: () => {
          throw new Error('convert_units failed: -500 C is below absolute zero.');
        },
      });
      const error = await toolErrorOf(
        runToolCall(new ToolRegistry([relayed]), call('convert_units'), options),
      );
      // Before: "convert_units failed: convert_units failed: -500 C is below absolute zero."
      expect(error.message).toBe('convert_units failed: -500 C is below absolute zero.');
    });

    it('answers tool_failed for a calculator error', async () => {
      const error = await toolErrorOf(
        runToolCall(registry, call('calculator', { expression: '1 / 0' }), options),
      );
      expect(error.errorType).toBe('tool_failed');
      expect(error.message).toBe('calculator failed: Division by zero');
    });
  });

  describe('numbers JSON cannot carry', () => {
    it.each([
      ['Infinity', { result: Infinity }, '"result" is Infinity, beyond the largest number'],
      ['-Infinity in a list', { values: [1, -Infinity] }, '"values[1]" is -Infinity, beyond'],
      ['NaN in an object', { summary: { mean: NaN } }, '"summary.mean" is not a number'],
    ])(
      'answers tool_failed for a result holding %s, naming where it is',
      async (_case, result, message) => {
        const error = await toolErrorOf(
          runToolCall(registry, call('returns', { result }), options),
        );
        expect(error.errorType).toBe('tool_failed');
        expect(error.message).toContain(`returns failed: ${message}`);
      },
    );

    it('tells the model what to do about an overflow', async () => {
      const error = await toolErrorOf(
        runToolCall(registry, call('returns', { result: { result: Infinity } }), options),
      );
      expect(error.message).toBe(
        'returns failed: "result" is Infinity, beyond the largest number it can represent (±1.8e308): use smaller numbers (scale the input down, or a larger unit) and call again.',
      );
    });

    it('passes -0, the largest, the smallest and subnormal numbers through', async () => {
      const result = {
        values: [-0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e-310],
      };
      await expect(runToolCall(registry, call('returns', { result }), options)).resolves.toEqual(
        result,
      );
    });
  });

  describe('time limits and cancellation', () => {
    it('answers tool_timeout for a tool that never finishes, and aborts its signal', async () => {
      const { tool, seen } = makeHang();
      const started = Date.now();
      const error = await toolErrorOf(
        runToolCall(new ToolRegistry([tool]), call('hang'), { timeoutMs: 50 }),
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error.errorType).toBe('tool_timeout');
      expect(error.message).toBe('hang did not finish within 50 ms');
      expect(seen.signal?.aborted).toBe(true);
      expect(seen.signal?.reason).toBe(error);
    });

    it('aborts the tool signal when the request is aborted', async () => {
      const { tool, seen } = makeCancellable();
      const request = new AbortController();
      const running = runToolCall(new ToolRegistry([tool]), call('cancellable'), {
        timeoutMs: 5_000,
        signal: request.signal,
      });
      expect(seen.signal?.aborted).toBe(false);
      request.abort('client went away');
      const error = await toolErrorOf(running);
      expect(seen.signal?.aborted).toBe(true);
      expect(seen.signal?.reason).toBe('client went away');
      expect(error.errorType).toBe('tool_failed');
      expect(error.message).toBe('cancellable failed: cancelled: client went away');
    });

    it('hands the tool an aborted signal when the request was aborted before the call', async () => {
      const { tool, seen } = makeCancellable();
      const request = new AbortController();
      request.abort('already gone');
      const error = await toolErrorOf(
        runToolCall(new ToolRegistry([tool]), call('cancellable'), {
          timeoutMs: 5_000,
          signal: request.signal,
        }),
      );
      expect(seen.signal?.aborted).toBe(true);
      expect(error.message).toBe('cancellable failed: cancelled: already gone');
    });

    it('leaves the tool signal alone when the call succeeds', async () => {
      const seen: { signal?: AbortSignal } = {};
      const quick = defineTool({
        name: 'quick',
        description: 'Returns at once.',
        argumentsSchema: z.object({}).strict(),
        run: (_args, { signal }) => {
          seen.signal = signal;
          return { ok: true };
        },
      });
      const request = new AbortController();
      await expect(
        runToolCall(new ToolRegistry([quick]), call('quick'), {
          timeoutMs: 50,
          signal: request.signal,
        }),
      ).resolves.toEqual({
        ok: true,
      });
      request.abort();
      expect(seen.signal?.aborted).toBe(false);
    });
  });
});

describe('ToolRegistry', () => {
  it('throws at construction on a duplicate tool name', () => {
    expect(() => new ToolRegistry([echo, calculator, echo] as Tool[])).toThrow(
      'Duplicate tool name: echo',
    );
  });

  it('lists names in the order given', () => {
    expect(registry.names).toEqual(['echo', 'explode', 'reject_async', 'calculator', 'returns']);
  });

  it('does not resolve prototype names', () => {
    expect(registry.get('__proto__')).toBeUndefined();
    expect(registry.get('constructor')).toBeUndefined();
    expect(registry.get('calculator')).toBe(calculator);
  });

  it('declares each tool with the JSON Schema zod derives from its arguments schema', () => {
    const [declaration] = new ToolRegistry([echo] as Tool[]).declarations;
    expect(declaration).toEqual({
      name: 'echo',
      description: 'Repeats a message a number of times.',
      parameters: z.toJSONSchema(echo.argumentsSchema, { io: 'input' }),
    });
    expect(declaration?.parameters).toMatchObject({
      properties: { message: { type: 'string', minLength: 1 } },
    });
  });
});

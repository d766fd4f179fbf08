import { installInMemoryTracing } from '../../../test/support/in-memory-tracing';
import { SpanRecorder } from './span-recorder';
import { traceToolCall } from './tool-recorder';

const tracing = installInMemoryTracing();
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());

const CALL = { toolName: 'calculator', callId: 'call-1', arguments: { expression: '2+2' } };
const BOUNDED = { result: { value: 4 }, size: 11, truncated: false };

describe('the tool recorder', () => {
  it('records the size of the result the model gets, and the result itself only with capture on', async () => {
    await traceToolCall(new SpanRecorder(), CALL, (tool) => tool.result(BOUNDED));
    const withoutCapture = tracing.one('tool.calculator').attributes;
    expect(withoutCapture).toMatchObject({
      'tool.result_size': 11,
      'tool.result_truncated': false,
      'tool.success': true,
    });
    expect(withoutCapture).not.toHaveProperty(['gen_ai.tool.call.result']);
    expect(withoutCapture).not.toHaveProperty(['gen_ai.tool.call.arguments']);
    tracing.reset();

    await traceToolCall(new SpanRecorder({ captureContent: true }), CALL, (tool) =>
      tool.result(BOUNDED),
    );
    expect(tracing.one('tool.calculator').attributes).toMatchObject({
      'gen_ai.tool.call.result': '{"value":4}',
      'gen_ai.tool.call.arguments': '{"expression":"2+2"}',
    });
  });

  it('names a tool the model made up unknown, and says only what failed without capture', async () => {
    const failing = traceToolCall(
      new SpanRecorder(),
      { ...CALL, toolName: 'rm -rf /', known: false },
      () => {
        throw Object.assign(new Error('no tool "rm -rf /"'), { errorType: 'tool_not_found' });
      },
    );
    await expect(failing).rejects.toThrow();
    const span = tracing.one('tool.unknown');
    expect(span.attributes).toMatchObject({
      'tool.success': false,
      'error.type': 'tool_not_found',
    });
    expect(span.status.message).toBe('rm -rf / failed (tool_not_found)');
  });
});

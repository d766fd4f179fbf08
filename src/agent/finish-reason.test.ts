import type { ModelTurn } from '../models/model';
import { runFinishReason, turnFinishReason } from './finish-reason';

const turn = (finishReasons: string[], toolCalls = 0): ModelTurn => ({
  text: undefined,
  toolCalls: Array.from({ length: toolCalls }, (_, index) => ({
    type: 'tool_call' as const,
    id: `c${index}`,
    name: 'calculator',
    arguments: {},
  })),
  finishReasons,
  usage: { inputTokens: 0, outputTokens: 0 },
  responseModel: undefined,
  responseId: undefined,
  message: { role: 'assistant', parts: [] },
});

describe('the finish reason of an output message', () => {
  it("names Gemini's reasons in the output message format's words", () => {
    expect(turnFinishReason(turn(['STOP']))).toBe('stop');
    expect(turnFinishReason(turn(['MAX_TOKENS']))).toBe('length');
    expect(turnFinishReason(turn(['SAFETY']))).toBe('content_filter');
    expect(turnFinishReason(turn(['OTHER']))).toBe('other');
    expect(turnFinishReason(turn([]))).toBe('stop');
  });

  it('says tool_call for a turn that asks for tools, though Gemini says STOP', () => {
    expect(turnFinishReason(turn(['STOP'], 2))).toBe('tool_call');
  });

  it('says stop for a finished run, and how the run was stopped otherwise', () => {
    expect(runFinishReason('completed')).toBe('stop');
    expect(runFinishReason('max_steps')).toBe('max_steps');
  });
});

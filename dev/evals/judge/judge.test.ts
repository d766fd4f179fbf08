import { judge } from '../../../src/emulator/judge';
import { judgementPrompt, parseVerdict } from './judge';

describe('a judgement', () => {
  it("asks with the tags the emulator's scripted judge reads, and gets its verdict back", () => {
    const prompt = judgementPrompt({
      task: 'Calculate 17 * 23',
      answer: '17 * 23 = 391',
      reference: '391',
    });
    expect(parseVerdict(JSON.stringify(judge(prompt)))).toEqual({
      score: 1,
      label: 'pass',
      explanation: "The answer uses 1 of the reference's 1 words.",
    });
  });

  it('reads a verdict a model wrapped in a Markdown code fence', () => {
    const text = '```json\n{"score": 0.5, "label": "fail", "explanation": "Half right."}\n```';
    expect(parseVerdict(text)).toEqual({ score: 0.5, label: 'fail', explanation: 'Half right.' });
  });

  it('refuses an answer that is no verdict, quoting it', () => {
    expect(() => parseVerdict('Looks good to me')).toThrow(
      'the judge answered no verdict: "Looks good to me"',
    );
    expect(() => parseVerdict('{"score": 7, "label": "pass", "explanation": "x"}')).toThrow(
      /no verdict/,
    );
  });
});

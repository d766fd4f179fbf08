import { judge, judgeVerdict } from './judge';

const request = (answer: string, reference: string) =>
  `Grade the answer.\n<task>Explain</task>\n<answer>${answer}</answer>\n<reference>${reference}</reference>`;

describe('the emulator as a judge', () => {
  it('scores the share of the reference words the answer uses, and names the missing ones', () => {
    expect(
      judge(
        request(
          'Tail sampling keeps the slow traces.',
          'Tail sampling decides after the trace ends',
        ),
      ),
    ).toEqual({
      score: 0.33,
      label: 'fail',
      explanation:
        "The answer uses 2 of the reference's 6 words; missing: decides, after, trace, ends.",
    });
  });

  it('passes an answer that uses at least half of them, ignoring case and punctuation', () => {
    expect(
      judge(request('CONTEXT propagation: B3 headers!', 'B3 headers carry the context')),
    ).toEqual(expect.objectContaining({ score: 0.75, label: 'pass' }));
  });

  it('counts numbers as words, however short', () => {
    expect(judge(request('6 * 7 = 42', '42'))?.score).toBe(1);
    expect(judge(request('6 * 7 = 41', '42'))?.score).toBe(0);
  });

  it('is no judge for a task without an answer and a reference', () => {
    expect(judge('Calculate 2 + 2')).toBeUndefined();
    expect(judgeVerdict('<answer>only</answer>')).toBeUndefined();
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSection } from './report-section';

const RUNTIMES = {
  begin: '<!-- bench:runtimes:begin -->',
  end: '<!-- bench:runtimes:end -->',
  heading: '## Runtimes',
};

const reportFile = (text?: string) => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'report-section-')), 'BENCHMARKS.md');
  if (text !== undefined) writeFileSync(file, text);
  return file;
};

describe('writing a section of the benchmark report', () => {
  it('replaces the figures between its markers on a rerun and keeps the text around them', () => {
    const report = (figures: string) =>
      [
        '# What tracing costs',
        '<!-- bench:begin -->',
        'the main figures',
        '<!-- bench:end -->',
        '## Runtimes',
        'How they are measured.',
        RUNTIMES.begin,
        figures,
        RUNTIMES.end,
        'What they say.',
        '',
      ].join('\n');
    const file = reportFile(report('old figures'));

    writeSection(file, RUNTIMES, 'new figures');

    expect(readFileSync(file, 'utf8')).toBe(report('new figures'));
  });

  it('adds the section under its heading at the end of a report that has none yet', () => {
    const file = reportFile('# What tracing costs\n\nThe text.\n');

    writeSection(file, RUNTIMES, 'the figures');
    writeSection(file, RUNTIMES, 'the figures of a rerun');

    expect(readFileSync(file, 'utf8')).toBe(
      `# What tracing costs\n\nThe text.\n\n## Runtimes\n\n${RUNTIMES.begin}\nthe figures of a rerun\n${RUNTIMES.end}\n`,
    );
  });

  it('starts a report where there is none', () => {
    const file = reportFile();

    writeSection(file, { begin: '<!-- bench:begin -->', end: '<!-- bench:end -->' }, 'figures');

    expect(readFileSync(file, 'utf8')).toBe(
      '# Benchmarks\n\n<!-- bench:begin -->\nfigures\n<!-- bench:end -->\n',
    );
  });
});

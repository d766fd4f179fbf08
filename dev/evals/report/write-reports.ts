import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentReport } from './experiment-report';
import { htmlReport } from './html-report';

/** report.json and report.html in `directory`; the files written. */
export function writeReports(report: ExperimentReport, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const json = path.join(directory, 'report.json');
  const html = path.join(directory, 'report.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, htmlReport(report));
  return [json, html];
}

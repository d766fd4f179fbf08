import type { Comparison } from '../compare/baseline';
import type { CaseResult } from '../run/case-result';
import type { ExperimentReport } from './experiment-report';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Every style in the page itself: the report is one file, opened anywhere, offline. */
const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.pass { background: #e6f4ea; } .fail { background: #fce8e6; } .regressed { color: #b3261e; font-weight: bold; }
details summary { cursor: pointer; white-space: nowrap; } code, pre { font: 12px ui-monospace, monospace; white-space: pre-wrap; }
.muted { color: #666; }
`;

const cell = (content: string, className = '') =>
  `<td${className ? ` class="${className}"` : ''}>${content}</td>`;
const row = (cells: string[]) => `<tr>${cells.join('')}</tr>`;
const headerRow = (names: string[]) =>
  `<tr>${names.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr>`;
const fixed = (value: number | undefined, digits = 3) =>
  value === undefined ? '' : value.toFixed(digits);

function traceLink(jaegerUrl: string, traceId: string | undefined): string {
  if (!traceId) return '<span class="muted">no trace</span>';
  const href = `${jaegerUrl.replace(/\/+$/, '')}/trace/${encodeURIComponent(traceId)}`;
  return `<a href="${escapeHtml(href)}"><code>${escapeHtml(traceId.slice(0, 12))}…</code></a>`;
}

function comparisonSection(comparison: Comparison): string {
  const rows = comparison.rows.map((line) =>
    row([
      cell(escapeHtml(line.evaluator)),
      cell(fixed(line.baseline), 'number'),
      cell(line.tolerance === undefined ? '' : `-${fixed(line.tolerance)}`, 'number'),
      cell(fixed(line.current), 'number'),
      cell(escapeHtml(line.verdict), line.verdict === 'regressed' ? 'regressed' : ''),
    ]),
  );
  return `<h2>Against ${escapeHtml(comparison.baselineFile)}: ${comparison.regressed ? '<span class="regressed">regression</span>' : 'no regression'}</h2>
<table>${headerRow(['evaluator', 'baseline', 'tolerance', 'now', 'verdict'])}${rows.join('')}</table>
${comparison.notes.map((note) => `<p class="muted">${escapeHtml(note)}</p>`).join('')}`;
}

function caseRow(result: CaseResult, evaluatorNames: readonly string[], jaegerUrl: string): string {
  const scores = evaluatorNames.map((name) => {
    const score = result.scores.find((candidate) => candidate.name === name);
    return score
      ? `<td class="number ${score.label}" title="${escapeHtml(score.explanation)}">${score.value.toFixed(2)}</td>`
      : '<td></td>';
  });
  const details = `<details><summary>${escapeHtml(result.id)}</summary>
<p>${result.tags.map((tag) => `<code>${escapeHtml(tag)}</code>`).join(' ')}</p>
<p><b>Task</b></p><pre>${escapeHtml(result.task)}</pre>
<p><b>Answer</b> (${result.status ?? 'none'})</p><pre>${escapeHtml(result.answer ?? result.failure ?? '')}</pre>
<ul>${result.scores.map((score) => `<li class="${score.label}"><b>${escapeHtml(score.name)}</b> ${score.value.toFixed(2)}: ${escapeHtml(score.explanation)}</li>`).join('')}</ul>
</details>`;
  return row([
    cell(details, result.passed ? '' : 'fail'),
    ...scores,
    cell(result.latencyMs === undefined ? '' : `${Math.round(result.latencyMs)} ms`, 'number'),
    cell(result.costUsd === undefined ? '' : `$${result.costUsd.toFixed(6)}`, 'number'),
    cell(
      traceLink(jaegerUrl, result.traceId) +
        (result.traceComplete === false ? ' <span class="muted">(incomplete)</span>' : ''),
    ),
  ]);
}

/**
 * The report as one self-contained HTML page (no script, no stylesheet, no font from elsewhere): a
 * table per evaluator, the comparison, and a row per case with each score (its explanation on
 * hover and under the case) and a link to its trace in Jaeger.
 */
export function htmlReport(report: ExperimentReport): string {
  const { experiment, summary, measures } = report;
  const names = summary.evaluators.map((evaluator) => evaluator.name);
  const evaluatorRows = summary.evaluators.map((evaluator) =>
    row([
      cell(escapeHtml(evaluator.name)),
      cell(String(evaluator.cases), 'number'),
      cell(String(evaluator.passed), 'number'),
      cell(String(evaluator.cases - evaluator.passed), 'number'),
      cell(evaluator.mean.toFixed(3), 'number'),
    ]),
  );
  const judge = measures.judge
    ? ` The judge, apart: ${measures.judge.calls} call(s), ${measures.judge.inputTokens + measures.judge.outputTokens} tokens, ${measures.judge.costUsd === null ? 'cost unknown' : `$${measures.judge.costUsd.toFixed(6)}`}.`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Experiment ${escapeHtml(experiment.id)}</title><style>${STYLE}</style></head>
<body>
<h1>Experiment ${escapeHtml(experiment.name)} <span class="muted">${escapeHtml(experiment.id)}</span></h1>
<p>Dataset <code>${escapeHtml(experiment.dataset.file)}</code> (version <code>${escapeHtml(experiment.dataset.version)}</code>) on ${escapeHtml(experiment.model)}, against ${escapeHtml(experiment.target)}; started ${escapeHtml(experiment.startedAt)}, ${(experiment.durationMs / 1000).toFixed(1)} s. <b>${summary.passed} of ${summary.cases}</b> case(s) passed every evaluator.${summary.skipped.length ? ` Skipped: ${summary.skipped.map((skip) => escapeHtml(`${skip.id} (${skip.reason})`)).join(', ')}.` : ''}</p>
<h2>Evaluators</h2>
<table>${headerRow(['evaluator', 'cases', 'passed', 'failed', 'mean'])}${evaluatorRows.join('')}</table>
<p>Runs: latency p50 ${fixed(measures.latencyMsP50, 0)} ms, p95 ${fixed(measures.latencyMsP95, 0)} ms; ${measures.runTokens} tokens, ${measures.runCostUsd === null ? 'cost unknown' : `$${measures.runCostUsd.toFixed(6)}`}.${judge}</p>
${report.comparison ? comparisonSection(report.comparison) : ''}
<h2>Cases</h2>
<table>${headerRow(['case', ...names, 'latency', 'cost', 'trace'])}${report.cases.map((result) => caseRow(result, names, report.jaegerUrl)).join('\n')}</table>
</body>
</html>
`;
}

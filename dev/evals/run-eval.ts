/**
 * `npm run eval`: runs a dataset of cases, with the examples the agent's tools carry, against the
 * agent (the three services started here, on the emulator unless GEMINI_API_KEY is set, or a
 * running one with --target), collects each run's spans, scores it from them, records the scores
 * on the run's trace, and writes the reports: the terminal's, report.json and report.html. With
 * --compare, exits 1 on a regression.
 * docs/evaluations.md says how to write a case, an evaluator, and read the reports.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startGeminiEmulator } from '../../src/emulator/emulator-server';
import { createAgentToolRegistry } from '../../src/tools';
import { parseVariables } from '../../src/variables';
import { baselineFrom, compareToBaseline, readBaseline } from './compare/baseline';
import { readDataset } from './dataset/read-dataset';
import { withToolExamples } from './dataset/tool-examples';
import { createEvaluators } from './evaluators';
import { createJudge } from './judge/create-judge';
import { baselineFile, parseOptions, USAGE, UsageError, type EvalOptions } from './options';
import { endExperimentSpan, startExperimentSpan } from './record/evaluation-spans';
import { startEvaluationTracing, upstreamExporter } from './record/evaluation-tracing';
import { relaySpans } from './record/relay-spans';
import { buildReport } from './report/experiment-report';
import { terminalReport } from './report/terminal-report';
import { writeReports } from './report/write-reports';
import { createProgress } from './run/progress';
import { runExperiment } from './run/run-experiment';
import { selectCases } from './run/select-cases';
import { startLocalServices, targetServices } from './run/services';

const print = (text = '') => process.stdout.write(`${text}\n`);

/** `local-20261208T153012-a1b2c3`: the name, when, and a random part that scopes the cases' memory. */
function experimentId(name: string): { id: string; scope: string } {
  const scope = randomBytes(3).toString('hex');
  const when = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  return { id: `${name}-${when}-${scope}`, scope };
}

/** Warns once when the user's backend refuses the relayed spans; the evaluation goes on. */
function warnOnce(what: string) {
  let warned = false;
  return (error: unknown) => {
    if (warned) return;
    warned = true;
    process.stderr.write(`warning: ${what}: ${(error as Error).message}\n`);
  };
}

/** Runs the experiment; its exit code: 1 on a regression, else 0. */
async function evaluate(options: EvalOptions): Promise<number> {
  const started = Date.now();
  const dataset = withToolExamples(
    readDataset(path.resolve(options.dataset)),
    createAgentToolRegistry(),
  );
  const variables = parseVariables(process.env, ['GEMINI_API_KEY', 'GEMINI_MODEL', 'GEMINI_SDK']);
  const apiKey = variables.GEMINI_API_KEY || undefined;
  const model = apiKey ? variables.GEMINI_MODEL : 'emulator';
  const { selected, skipped } = selectCases(dataset.cases, {
    filters: options.filter,
    elsewhere: apiKey ? 'on the Gemini API' : options.target && 'against --target',
  });
  if (!selected.length)
    throw new UsageError(`no case of ${options.dataset} matches ${options.filter.join(', ')}`);
  const comparedFile = options.compare && baselineFile(options.compare);
  const baseline = comparedFile ? readBaseline(comparedFile) : undefined;

  const { id, scope } = experimentId(options.experiment);
  const experiment = {
    id,
    name: options.experiment,
    datasetName: dataset.name,
    datasetVersion: dataset.version,
  };
  print(
    `Experiment ${id}: ${selected.length} case(s) of ${options.dataset} (version ${dataset.version}) on ${model}, ${options.target ?? 'services started here'}, ${options.concurrency} at a time`,
  );
  const services = options.target
    ? await targetServices(options.target, options.otlpPort)
    : await startLocalServices({ apiKey, modelName: variables.GEMINI_MODEL }, options.otlpPort);
  const judgeEmulator =
    options.judge && !apiKey && !services.emulator ? await startGeminiEmulator() : undefined;
  // The services' spans come to this process; the user's backend gets them relayed, with ours.
  const upstream = upstreamExporter(process.env);
  const tracing = startEvaluationTracing({
    receiverEndpoint: services.receiver?.endpoint,
    upstream,
  });
  try {
    if (!services.receiver)
      print('No spans are collected (--target without --otlp-port): only the answers are scored.');
    const judge = options.judge
      ? await createJudge(
          {
            sdk: variables.GEMINI_SDK,
            modelName: variables.GEMINI_MODEL,
            apiKey,
            emulatorUrl: (services.emulator ?? judgeEmulator)?.url,
          },
          tracing.tracer,
        )
      : undefined;
    const evaluators = createEvaluators(judge);
    const experimentSpan = startExperimentSpan(tracing.tracer, experiment);
    const progress = createProgress(selected.length, process.stdout);
    const relay = upstream && !options.target ? relaySpans(upstream) : undefined;
    const onRelayFailure = warnOnce('spans could not be sent on to OTEL_EXPORTER_OTLP_ENDPOINT');
    const results = await runExperiment({
      experiment,
      scope,
      experimentSpan,
      tracer: tracing.tracer,
      cases: selected,
      services,
      evaluators,
      concurrency: options.concurrency,
      caseTimeoutMs: options.caseTimeoutMs,
      apiKey: process.env.EVAL_API_KEY || undefined,
      relay: relay && ((spans) => relay(spans).catch(onRelayFailure)),
      onCaseDone: (result) => progress.caseDone(result),
    });
    progress.finish();

    const report = buildReport({
      experiment: {
        id,
        name: options.experiment,
        dataset: { name: dataset.name, version: dataset.version, file: options.dataset },
        model,
        target: options.target ?? 'local',
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
      },
      jaegerUrl: options.jaeger,
      results,
      skipped,
      evaluatorNames: evaluators.map((evaluator) => evaluator.name),
      judge: judge && { ...judge.usage },
    });
    if (baseline && comparedFile)
      report.comparison = compareToBaseline(report.summary.evaluators, baseline, {
        baselineFile: comparedFile,
        datasetVersion: dataset.version,
        model,
      });
    endExperimentSpan(experimentSpan, {
      cases: report.summary.cases,
      passed: report.summary.passed,
      means: report.summary.evaluators.map((evaluator) => ({
        name: evaluator.name,
        value: evaluator.mean,
        label: evaluator.passed === evaluator.cases ? 'pass' : 'fail',
        explanation: `${evaluator.passed} of ${evaluator.cases} case(s) passed`,
      })),
    });

    const files = writeReports(report, options.out);
    print();
    print(terminalReport(report));
    print();
    print(`Reports: ${files.join(', ')}`);
    if (upstream)
      print(
        `Scores sent with the traces to OTEL_EXPORTER_OTLP_ENDPOINT: search for evaluation.experiment.id=${id}`,
      );
    if (!options.updateBaseline) return report.comparison?.regressed ? 1 : 0;
    const file = comparedFile || baselineFile('baseline');
    const updated = baselineFrom(report.summary.evaluators, {
      dataset: dataset.name,
      datasetVersion: dataset.version,
      model,
      previous: baseline,
    });
    writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`);
    print(`Baseline written: ${file}`);
    return 0;
  } finally {
    // Our own spans first, while the receiver still takes them.
    await tracing.shutdown();
    await services.stop();
    await judgeEmulator?.close();
  }
}

async function main(): Promise<void> {
  let options: EvalOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) return void print(USAGE);
  try {
    process.exitCode = await evaluate(options);
  } catch (error) {
    process.stderr.write(`eval failed: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

void main();

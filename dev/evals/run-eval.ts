/**
 * `npm run eval`: runs a dataset of cases against the agent (the three services started here, on
 * the emulator unless GEMINI_API_KEY is set, or a running one with --target), collects each run's
 * spans, scores it from them, records the scores on the run's trace, and writes the reports:
 * the terminal's, report.json and report.html. With --compare, exits 1 on a regression.
 * docs/evaluations.md says how to write a case, an evaluator, and read the reports.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTracer } from '../../src/tracing/agent-tracer';
import { startGeminiEmulator } from '../../src/emulator/emulator-server';
import { createGeminiModel } from '../../src/models/gemini-sdk';
import { ModelPricing } from '../../src/models/model-pricing';
import { parseVariables } from '../../src/variables';
import { baselineFrom, compareToBaseline, readBaseline, type Baseline } from './compare/baseline';
import { EMULATOR_ONLY, type EvalCase } from './dataset/case-schema';
import { readDataset } from './dataset/read-dataset';
import { createEvaluators } from './evaluators';
import { ModelJudge } from './judge/model-judge';
import { baselineFile, parseOptions, USAGE, UsageError, type EvalOptions } from './options';
import { endExperimentSpan, startExperimentSpan, type Experiment } from './record/evaluation-spans';
import { startEvaluationTracing, upstreamExporter } from './record/evaluation-tracing';
import { relaySpans } from './record/relay-spans';
import { buildReport, type ExperimentReport } from './report/experiment-report';
import { htmlReport } from './report/html-report';
import { terminalReport } from './report/terminal-report';
import { createProgress } from './run/progress';
import { runExperiment } from './run/run-experiment';
import { startLocalServices, targetServices } from './run/services';

const RUBRIC_FILE = 'evals/rubric.md';
/** The key the emulator is sent: it takes any. Never a real credential. */
const OFFLINE_API_KEY = 'offline-emulator';

const print = (text = '') => process.stdout.write(`${text}\n`);

/**
 * The cases the filters name, less those tagged emulator-only where the runner's own services do
 * not run on the emulator (the Gemini API, or a --target with its own settings).
 */
function selectCases(
  cases: readonly EvalCase[],
  filters: readonly string[],
  notOwnEmulator: string | undefined,
) {
  const matching = cases.filter(
    (evalCase) =>
      !filters.length ||
      filters.some((filter) => evalCase.id.includes(filter) || evalCase.tags.includes(filter)),
  );
  const skipped = notOwnEmulator
    ? matching.filter((evalCase) => evalCase.tags.includes(EMULATOR_ONLY))
    : [];
  return {
    selected: matching.filter((evalCase) => !skipped.includes(evalCase)),
    skipped: skipped.map((evalCase) => ({
      id: evalCase.id,
      reason: `${EMULATOR_ONLY}, ${notOwnEmulator}`,
    })),
  };
}

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

async function evaluate(options: EvalOptions): Promise<number> {
  const started = Date.now();
  const dataset = readDataset(path.resolve(options.dataset));
  const variables = parseVariables(process.env, ['GEMINI_API_KEY', 'GEMINI_MODEL', 'GEMINI_SDK']);
  const apiKey = variables.GEMINI_API_KEY || undefined;
  const modelLabel = apiKey ? variables.GEMINI_MODEL : 'emulator';
  const { selected, skipped } = selectCases(
    dataset.cases,
    options.filter,
    apiKey ? 'on the Gemini API' : options.target ? 'against --target' : undefined,
  );
  if (!selected.length)
    throw new UsageError(`no case of ${options.dataset} matches ${options.filter.join(', ')}`);
  const comparedFile = options.compare && baselineFile(options.compare);
  const baseline: Baseline | undefined = comparedFile ? readBaseline(comparedFile) : undefined;
  const rubric = readFileSync(RUBRIC_FILE, 'utf8');

  const { id, scope } = experimentId(options.experiment);
  const experiment: Experiment = {
    id,
    name: options.experiment,
    datasetName: dataset.name,
    datasetVersion: dataset.version,
  };
  print(
    `Experiment ${id}: ${selected.length} case(s) of ${options.dataset} (version ${dataset.version}) on ${modelLabel}, ${options.target ?? 'services started here'}, ${options.concurrency} at a time`,
  );
  const services = options.target
    ? await targetServices(options.target, options.otlpPort)
    : await startLocalServices({ apiKey, modelName: variables.GEMINI_MODEL }, options.otlpPort);
  const judgeEmulator =
    options.judge && !apiKey && !services.emulator ? await startGeminiEmulator() : undefined;
  // The services' spans go to this process; the user's backend gets them relayed, beside ours.
  const upstream = upstreamExporter(process.env);
  const tracing = startEvaluationTracing({
    receiverEndpoint: services.receiver?.endpoint,
    upstream,
  });
  try {
    if (!services.receiver)
      print('No spans are collected (--target without --otlp-port): only the answers are scored.');
    const judge = options.judge
      ? new ModelJudge({
          model: await createGeminiModel({
            sdk: variables.GEMINI_SDK,
            apiKey: apiKey ?? OFFLINE_API_KEY,
            modelName: variables.GEMINI_MODEL,
            baseUrl: (services.emulator ?? judgeEmulator)?.url,
          }),
          rubric,
          tracer: new AgentTracer({ tracer: tracing.tracer }),
          pricing: new ModelPricing(),
        })
      : undefined;
    const evaluators = createEvaluators(judge);
    const experimentSpan = startExperimentSpan(tracing.tracer, experiment);
    const progress = createProgress(selected.length, process.stdout);
    const relay = upstream && !options.target ? relaySpans(upstream) : undefined;
    const onRelayFailure = warnOnce(
      'the spans could not be sent on to OTEL_EXPORTER_OTLP_ENDPOINT',
    );
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

    const report: ExperimentReport = buildReport({
      experiment: {
        id,
        name: options.experiment,
        dataset: { name: dataset.name, version: dataset.version, file: options.dataset },
        model: modelLabel,
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
        model: modelLabel,
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

    mkdirSync(options.out, { recursive: true });
    const jsonFile = path.join(options.out, 'report.json');
    const htmlFile = path.join(options.out, 'report.html');
    writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(htmlFile, htmlReport(report));
    print();
    print(terminalReport(report));
    print();
    print(`Reports: ${jsonFile}, ${htmlFile}`);
    if (upstream)
      print(
        `Scores sent with the traces to OTEL_EXPORTER_OTLP_ENDPOINT: search for evaluation.experiment.id=${id}`,
      );
    if (options.updateBaseline) {
      const file = comparedFile ?? baselineFile('baseline');
      const updated = baselineFrom(report.summary.evaluators, {
        dataset: dataset.name,
        datasetVersion: dataset.version,
        model: modelLabel,
        previous: baseline,
      });
      writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`);
      print(`Baseline written: ${file}`);
      return 0;
    }
    return report.comparison?.regressed ? 1 : 0;
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

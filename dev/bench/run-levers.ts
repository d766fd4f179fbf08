/**
 * `npm run bench:levers`: the figures of BENCHMARKS.md's table of levers (issue 14), printed as
 * markdown. Two measurements, each with its contenders interleaved round by round and reported
 * as medians and medians of paired differences against the first:
 * - our span pipeline per span (`pipeline-levers.ts`), optionally against another checkout's
 *   (`--baseline <dir>`: a checkout of the commit before a change, built with `npm run build`);
 * - export per span, by configuration (`export-levers.ts`, in a child process, to receivers in
 *   this one: the span counter over OTLP/gRPC, the OTLP receiver over HTTP, protobuf and JSON):
 *   `--batch <size>` (default 2048) and `--compression <gzip|none>` (default gzip) set two of the
 *   alternatives; the protocols http/protobuf and http/json are two more.
 * - what metrics cost one request, their records through the SDK against a no-op meter
 *   (`metrics-levers.ts`).
 * `--only pipeline|export|metrics` runs one of them; `--quick` runs a few small rounds, only to
 * check that it works.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startOtlpReceiver } from '../otlp/receiver';
import { startSpanCounter } from '../otlp/span-counter';
import { pairedRounds, type PairedFigure } from './paired-rounds';
import { metricsContenders } from './metrics-levers';
import { pipelineContenders } from './pipeline-levers';
import { table } from './report';

interface LeverSettings {
  quick: boolean;
  only?: 'pipeline' | 'export' | 'metrics';
  baseline?: string;
  batchSize: number;
  compression: 'none' | 'gzip';
  pipeline: { rounds: number; spans: number };
  export: { rounds: number; spans: number };
  metrics: { rounds: number; requests: number };
}

function settingsFrom(argv: string[]): LeverSettings {
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const compression = option('--compression') ?? 'gzip';
  if (compression !== 'gzip' && compression !== 'none') {
    throw new Error(`--compression must be gzip or none, not ${compression}`);
  }
  const only = option('--only');
  if (only !== undefined && only !== 'pipeline' && only !== 'export' && only !== 'metrics') {
    throw new Error(`--only must be pipeline, export or metrics, not ${only}`);
  }
  const batchSize = Number(option('--batch') ?? 2_048);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error('--batch must be a positive whole number');
  }
  return {
    quick,
    only,
    baseline: option('--baseline'),
    batchSize,
    compression,
    pipeline: quick ? { rounds: 3, spans: 2_000 } : { rounds: 30, spans: 20_000 },
    export: quick ? { rounds: 2, spans: 1_024 } : { rounds: 12, spans: 8_192 },
    metrics: quick ? { rounds: 3, requests: 2_000 } : { rounds: 30, requests: 20_000 },
  };
}

const us = (value: number, signed = false) =>
  `${signed && value >= 0 ? '+' : ''}${value.toFixed(2)} µs`;

function figuresTable(figures: PairedFigure[], unit = 'span'): string {
  const [reference, ...others] = figures;
  return table(
    ['', `CPU per ${unit} (median)`, `Paired difference vs the first row`],
    [
      [reference!.name, us(reference!.medianUs), '—'],
      ...others.map((figure) => [figure.name, us(figure.medianUs), us(figure.pairedUs, true)]),
    ],
  );
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function measurePipeline(settings: LeverSettings): Promise<string> {
  const { pipeline } = settings;
  log(`span pipeline: ${pipeline.rounds} rounds of ${pipeline.spans} spans`);
  const figures = await pairedRounds(
    pipelineContenders(pipeline.spans, settings.baseline),
    pipeline.rounds,
  );
  return [
    `### Span pipeline: our processors and sanitizer (${pipeline.rounds} interleaved rounds of ${pipeline.spans} \`llm.generate\`-like spans, no export)`,
    '',
    figuresTable(figures),
    '',
  ].join('\n');
}

async function measureExport(settings: LeverSettings): Promise<string> {
  log(`export: ${settings.export.rounds} rounds of ${settings.export.spans} spans`);
  const counter = await startSpanCounter();
  const httpReceiver = await startOtlpReceiver({ transport: 'http', keepSpans: false });
  // In a process of its own, like the service: the receivers' decoding is not counted with it.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(__dirname, 'export-levers.js'),
      counter.endpoint,
      httpReceiver.endpoint,
      String(settings.export.rounds),
      String(settings.export.spans),
      String(settings.batchSize),
      settings.compression,
    ],
    { maxBuffer: 16 * 2 ** 20 },
  );
  await Promise.all([counter.stop(), httpReceiver.stop()]);
  const { figures, spansMade } = JSON.parse(stdout) as {
    figures: PairedFigure[];
    spansMade: number;
  };
  // A span dropped is a span whose export was never paid for: the figures would be too low.
  const received = counter.spanCount + httpReceiver.spanCount;
  if (received !== spansMade) {
    throw new Error(`the receivers received ${received} of ${spansMade} spans`);
  }
  return [
    `### Export over OTLP, gRPC to the span counter and HTTP to the receiver (${settings.export.rounds} interleaved rounds of ${settings.export.spans} spans with 14 attributes)`,
    '',
    figuresTable(figures),
    '',
    `Spans received: ${received} of ${spansMade} (${counter.spanCount} over gRPC, ${httpReceiver.spanCount} over HTTP).`,
    '',
  ].join('\n');
}

async function measureMetrics(settings: LeverSettings): Promise<string> {
  const { rounds, requests } = settings.metrics;
  log(`metrics: ${rounds} rounds of ${requests} requests' records`);
  const figures = await pairedRounds(metricsContenders(requests), rounds);
  return [
    `### Metrics: the records of one benchmark request (${rounds} interleaved rounds of ${requests} requests)`,
    '',
    figuresTable(figures, 'request'),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const sections: string[] = [];
  const runs = (part: NonNullable<LeverSettings['only']>) =>
    !settings.only || settings.only === part;
  if (runs('pipeline')) sections.push(await measurePipeline(settings));
  if (runs('export')) sections.push(await measureExport(settings));
  if (runs('metrics')) sections.push(await measureMetrics(settings));
  process.stdout.write(sections.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:levers failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

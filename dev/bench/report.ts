import os from 'node:os';
import type { ProfileSummary } from './cpu-profile';
import { MEMORY_OPERATIONS, type MemoryVariantResult } from './memory-bench';
import { writeSection } from './report-section';
import { SPANS_PER_REQUEST, type VariantId } from './variants';

export interface VariantResult {
  id: VariantId;
  title: string;
  /** The adaptive sampler's target, traces per second. */
  adaptivePerSecond?: number;
  requestsPerSecond: number;
  roundsRequestsPerSecond: number[];
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  /**
   * Against `OTEL_SDK_DISABLED=true` round by round (see `pairedAgainst`): CPU added per request,
   * and capacity (its CPU per request over this variant's).
   */
  againstDisabled?: { cpuUsAdded: number; capacity: number };
  peakRssMiB: number;
  failedRequests: number;
  exitCode: number | null;
  spans?: { expected: number; received: number; perRequest: number };
}

export interface BenchResults {
  quick: boolean;
  date: string;
  connections: number;
  rounds: number;
  roundSeconds: number;
  variants: VariantResult[];
  startup: { withoutTracingMs: number; withTracingMs: number; samples: number };
  spanCost: {
    spans: number;
    createSetEnd: { wallUsPerSpan: number; cpuUsPerSpan: number };
    withOtlpExport: { wallUsPerSpan: number; cpuUsPerSpan: number };
  };
  sustained: {
    targetRequestsPerSecond: number;
    achievedRequestsPerSecond: number;
    seconds: number;
    requests: number;
    failedRequests: number;
    p50Ms: number;
    p99Ms: number;
    spansExpected: number;
    spansReceived: number;
    exitCode: number | null;
    rssFirstThirdMiB: number;
    rssLastThirdMiB: number;
    peakRssMiB: number;
  };
  profile: { disabled: ProfiledVariant; sampled: ProfiledVariant; full: ProfiledVariant };
  /** Memory in the process against PostgreSQL (PGlite), full tracing in both. */
  memory: MemoryVariantResult[];
  elapsedSeconds: number;
}

export type ProfiledVariant = ProfileSummary & { requests: number };

const BEGIN_MARKER = '<!-- bench:begin -->';
const END_MARKER = '<!-- bench:end -->';

/**
 * RSS growth over the sustained run that still counts as flat: allocator and JIT noise, not a leak.
 */
const FLAT_RSS_TOLERANCE_MIB = 15;

export const signedDelta = (value: number) => `${value >= 0 ? '+' : ''}${value}`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const holds = (ok: boolean) => (ok ? 'yes' : '**no**');

export function machine(): string {
  const cpus = os.cpus();
  const memoryGiB = Math.round(os.totalmem() / 2 ** 30);
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${memoryGiB} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export interface Goal {
  name: string;
  measured: string;
  target: string;
  ok: boolean | undefined;
}

/**
 * Issue 27's goals, as CPU per answered request against `OTEL_SDK_DISABLED=true` in the same
 * rounds; issue 11's for metrics.
 */
const GOALS = {
  unsampledAddedUs: 100,
  cpuUsPerRecordedSpan: 25,
  sampledCapacity: 0.92,
  fullCapacity: 0.8,
  metricsRatio: 0.97,
};

const byIdIn = (variants: readonly VariantResult[]) => (id: VariantId) =>
  variants.find((variant) => variant.id === id)!;

/** CPU added per request against `OTEL_SDK_DISABLED=true`, round by round (µs). */
const addedUs = (variant: VariantResult) => variant.againstDisabled?.cpuUsAdded ?? Number.NaN;

/**
 * CPU added per recorded span: what recording and exporting every trace adds to a request with
 * nothing sampled, divided by the spans of that request; metrics on in both.
 */
function cpuUsPerRecordedSpan(variants: readonly VariantResult[]): number {
  const byId = byIdIn(variants);
  const recorded = byId('metrics');
  const added = addedUs(recorded) - addedUs(byId('unsampled'));
  return added / Math.max(1, recorded.spans?.perRequest ?? SPANS_PER_REQUEST);
}

function goalsOf(results: BenchResults): Goal[] {
  const byId = byIdIn(results.variants);
  const capacity = (id: VariantId) => byId(id).againstDisabled?.capacity ?? Number.NaN;
  const unsampledAdded = addedUs(byId('unsampled'));
  const sampledCapacity = capacity('sampled');
  const fullCapacity = capacity('full');
  const adaptive = byId('adaptive');
  const metricsRatio = byId('full').cpuMsPerRequest / byId('metrics').cpuMsPerRequest;
  const perSpan = cpuUsPerRecordedSpan(results.variants);
  const { sustained } = results;
  const lost = sustained.spansExpected - sustained.spansReceived;
  const growth = sustained.rssLastThirdMiB - sustained.rssFirstThirdMiB;
  const atLeast = (ratio: number) => `≥ ${ratio.toFixed(2)}`;
  return [
    {
      name: 'CPU added to a request that is not sampled (SDK on, four instrumentations, metrics) vs OTEL_SDK_DISABLED',
      measured: `${signedDelta(Math.round(unsampledAdded))} µs`,
      target: `≤ ${GOALS.unsampledAddedUs} µs`,
      ok: unsampledAdded <= GOALS.unsampledAddedUs,
    },
    {
      name: 'CPU per recorded span, export included ((100% − nothing sampled) ÷ spans per request, metrics in both)',
      measured: `${fixed(perSpan)} µs`,
      target: `≤ ${GOALS.cpuUsPerRecordedSpan} µs`,
      ok: perSpan <= GOALS.cpuUsPerRecordedSpan,
    },
    {
      name: 'Capacity at 10% sampling (CPU per request with OTEL_SDK_DISABLED ÷ with tracing)',
      measured: fixed(sampledCapacity, 2),
      target: atLeast(GOALS.sampledCapacity),
      ok: sampledCapacity >= GOALS.sampledCapacity,
    },
    {
      name: 'Capacity at 100% sampling',
      measured: fixed(fullCapacity, 2),
      target: atLeast(GOALS.fullCapacity),
      ok: fullCapacity >= GOALS.fullCapacity,
    },
    {
      name: `(for reference) Capacity with adaptive sampling (${adaptive.adaptivePerSecond} traces/s) at the maximum load`,
      measured: fixed(capacity('adaptive'), 2),
      target: '—',
      ok: undefined,
    },
    {
      name: 'Metrics on vs off, full tracing in both (CPU per request, off ÷ on)',
      measured: percent(metricsRatio),
      target: `≥ ${Math.round(GOALS.metricsRatio * 100)}%`,
      ok: metricsRatio >= GOALS.metricsRatio,
    },
    {
      name: `Spans lost at 80% of maximum for ${sustained.seconds} s, through a SIGTERM`,
      measured: `${lost} of ${sustained.spansExpected}`,
      target: '0',
      ok: lost === 0 && sustained.exitCode === 0,
    },
    {
      name: 'Ready after process start, tracing on',
      measured: `${fixed(results.startup.withTracingMs / 1000, 2)} s`,
      target: '< 1.0 s',
      ok: results.startup.withTracingMs < 1000,
    },
    {
      name: 'RSS over the sustained run (mean of last third − first third)',
      measured: `${growth >= 0 ? '+' : ''}${fixed(growth)} MiB`,
      target: `flat (within ${FLAT_RSS_TOLERANCE_MIB} MiB)`,
      ok: growth <= FLAT_RSS_TOLERANCE_MIB,
    },
    {
      name: '(for reference) CPU per request, no OpenTelemetry loaded vs OTEL_SDK_DISABLED',
      measured: `${signedDelta(Math.round(addedUs(byId('ceiling'))))} µs`,
      target: '—',
      ok: undefined,
    },
  ];
}

export function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const MEMORY_COLUMNS = MEMORY_OPERATIONS.map((name) => `\`${name}\``);

function renderFigures(results: BenchResults): string {
  const { sustained, startup, spanCost, profile } = results;
  const goals = goalsOf(results);
  return [
    `_Generated by \`npm run bench${results.quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 16).replace('T', ' ')} UTC in ${results.elapsedSeconds} s. ` +
      `Machine: ${machine()}. Load: autocannon, ${results.connections} connections, ${results.rounds} rounds of ${results.roundSeconds} s per variant, interleaved._`,
    '',
    '### The goals',
    '',
    table(
      ['Goal', 'Measured', 'Target', 'Holds'],
      goals.map((goal) => [
        goal.name,
        goal.measured,
        goal.target,
        goal.ok === undefined ? '—' : holds(goal.ok),
      ]),
    ),
    '',
    '### Throughput, latency, CPU and memory',
    '',
    table(
      [
        'Variant',
        'req/s (median)',
        'req/s per round',
        'p50',
        'p99',
        'CPU per request',
        'CPU added (paired)',
        'Capacity (paired)',
        'Peak RSS',
        'Spans per request',
        'Spans exported / expected',
        'Failed requests',
      ],
      results.variants.map((variant) => [
        variant.title,
        fixed(variant.requestsPerSecond, 0),
        variant.roundsRequestsPerSecond.join(', '),
        `${variant.p50Ms} ms`,
        `${variant.p99Ms} ms`,
        `${fixed(variant.cpuMsPerRequest, 2)} ms`,
        variant.againstDisabled
          ? `${signedDelta(Math.round(variant.againstDisabled.cpuUsAdded))} µs`
          : '—',
        variant.againstDisabled ? fixed(variant.againstDisabled.capacity, 2) : '—',
        `${fixed(variant.peakRssMiB, 0)} MiB`,
        variant.spans ? fixed(variant.spans.perRequest, 2) : '—',
        variant.spans ? `${variant.spans.received} / ${variant.spans.expected}` : '—',
        variant.failedRequests,
      ]),
    ),
    '',
    '### Where the overhead comes from (CPU added per request against `OTEL_SDK_DISABLED=true`, round by round, medians)',
    '',
    table(
      ['Layer', 'CPU added per request'],
      layersOf(results).map((layer) => [layer.name, `${layer.us >= 0 ? '+' : ''}${layer.us} µs`]),
    ),
    '',
    '### Start-up (process start to the first 200 from /healthz, median)',
    '',
    table(
      ['Without tracing', 'With tracing', 'Samples'],
      [
        [
          `${fixed(startup.withoutTracingMs, 0)} ms`,
          `${fixed(startup.withTracingMs, 0)} ms`,
          startup.samples,
        ],
      ],
    ),
    '',
    '### The cost of one span (an `llm.generate`-like span with 11 attributes, alone in its own process)',
    '',
    table(
      ['', 'Wall time per span', 'CPU time per span'],
      [
        [
          'Create, set attributes, end',
          `${spanCost.createSetEnd.wallUsPerSpan} µs`,
          `${spanCost.createSetEnd.cpuUsPerSpan} µs`,
        ],
        [
          '… and export over OTLP/gRPC (batch processor)',
          `${spanCost.withOtlpExport.wallUsPerSpan} µs`,
          `${spanCost.withOtlpExport.cpuUsPerSpan} µs`,
        ],
      ],
    ),
    `\n${spanCost.spans} spans per measurement.`,
    '',
    `### Sustained run: full tracing at 80% of its maximum for ${sustained.seconds} s, then SIGTERM`,
    '',
    table(
      [
        'Target',
        'Achieved',
        'Requests',
        'Failed',
        'p50',
        'p99',
        'Spans expected',
        'Spans received',
        'Exit code',
        'RSS first third',
        'RSS last third',
        'Peak RSS',
      ],
      [
        [
          `${sustained.targetRequestsPerSecond} req/s`,
          `${fixed(sustained.achievedRequestsPerSecond, 0)} req/s`,
          sustained.requests,
          sustained.failedRequests,
          `${sustained.p50Ms} ms`,
          `${sustained.p99Ms} ms`,
          sustained.spansExpected,
          sustained.spansReceived,
          String(sustained.exitCode),
          `${fixed(sustained.rssFirstThirdMiB)} MiB`,
          `${fixed(sustained.rssLastThirdMiB)} MiB`,
          `${fixed(sustained.peakRssMiB)} MiB`,
        ],
      ],
    ),
    '',
    '### Memory: in the process or in PostgreSQL (PGlite on a loopback port), full tracing in both',
    '',
    table(
      [
        'Memory',
        'req/s (median)',
        'vs in the process',
        'p50',
        'p99',
        ...MEMORY_COLUMNS,
        'Answers with a memory warning',
        'Failed requests',
      ],
      results.memory.map((variant) => [
        variant.title,
        fixed(variant.requestsPerSecond, 0),
        percent(variant.requestsPerSecond / results.memory[0]!.requestsPerSecond),
        `${variant.p50Ms} ms`,
        `${variant.p99Ms} ms`,
        ...variant.operations.map(
          (operation) => `${operation.p50Ms} / ${operation.p99Ms} ms (${operation.count})`,
        ),
        variant.warnings,
        variant.failedRequests,
      ]),
    ),
    '',
    'Each memory operation: the duration of its span, median / p99, from the spans the service exported (how many in parentheses). The request: `{"task": "Calculate 2 + 2", "user_id": "bench-user", "session_id": <new each time>}`.',
    '',
    '### Where the CPU goes: the same load without tracing, at 10% and at 100% (CPU profiles, warm-up excluded)',
    '',
    table(
      ['Package', 'SDK disabled', '10% sampling', 'added', '100% sampling', 'added'],
      profileDifference(profile).map((row) => [
        row.name,
        row.disabled,
        row.sampled,
        signedDelta(row.sampled - row.disabled),
        row.full,
        signedDelta(row.full - row.disabled),
      ]),
    ),
    '',
    'CPU time per request, in µs, by package.',
    '',
    `Top functions under full tracing (${profile.full.busyMs} ms busy over ${profile.full.requests} requests):`,
    '',
    table(
      ['Function', 'Self time', 'Share of busy time'],
      profile.full.byFunction.map((share) => [
        `\`${share.name}\``,
        `${share.ms} ms`,
        `${share.percent}%`,
      ]),
    ),
  ].join('\n');
}

/**
 * The cost of tracing, split by what each variant adds to the one below it, from the CPU each
 * added to `OTEL_SDK_DISABLED=true` in the same rounds.
 */
function layersOf(results: BenchResults): { name: string; us: number }[] {
  const byId = byIdIn(results.variants);
  const delta = (from: VariantId | null, to: VariantId) =>
    Math.round(addedUs(byId(to)) - (from ? addedUs(byId(from)) : 0));
  const { adaptivePerSecond } = byId('adaptive');
  return [
    {
      name: 'The SDK loaded, its context manager, metrics, our own spans not recorded (`bare` − `OTEL_SDK_DISABLED`)',
      us: delta(null, 'bare'),
    },
    {
      name: 'The http, express, undici and pino instrumentations, nothing recorded (`unsampled` − `bare`)',
      us: delta('bare', 'unsampled'),
    },
    {
      name: 'Recording and exporting one trace in ten, metrics off (10% sampling)',
      us: delta(null, 'sampled'),
    },
    {
      name: `Recording and exporting about ${adaptivePerSecond} traces a second at the maximum load, metrics off (adaptive)`,
      us: delta(null, 'adaptive'),
    },
    {
      name: 'Recording and exporting every trace, 10 spans, metrics on in both (100% with metrics − `unsampled`)',
      us: delta('unsampled', 'metrics'),
    },
    {
      name: '**All of it, at 100%**, metrics off (100% − `OTEL_SDK_DISABLED`)',
      us: delta(null, 'full'),
    },
  ];
}

export interface ProfileRow {
  name: string;
  disabled: number;
  sampled: number;
  full: number;
}

/**
 * CPU per request (µs) by package under the same load, without tracing, at 10% and at 100%: the
 * cost of tracing and where it lands, most added first.
 */
function profileDifference(profile: BenchResults['profile'], top = 14): ProfileRow[] {
  const perRequest = (variant: ProfiledVariant) =>
    new Map(
      variant.byPackage.map((share) => [
        share.name,
        (share.ms * 1000) / Math.max(1, variant.requests),
      ]),
    );
  const [disabled, sampled, full] = [profile.disabled, profile.sampled, profile.full].map(
    perRequest,
  ) as [Map<string, number>, Map<string, number>, Map<string, number>];
  const names = [...new Set([...disabled.keys(), ...sampled.keys(), ...full.keys()])];
  const rows = names
    .map((name) => ({
      name,
      disabled: Math.round(disabled.get(name) ?? 0),
      sampled: Math.round(sampled.get(name) ?? 0),
      full: Math.round(full.get(name) ?? 0),
    }))
    .sort((a, b) => b.full - b.disabled - (a.full - a.disabled));
  const sum = (key: 'disabled' | 'sampled' | 'full') =>
    rows.reduce((total, row) => total + row[key], 0);
  return [
    ...rows.slice(0, top),
    {
      name: '**All packages**',
      disabled: sum('disabled'),
      sampled: sum('sampled'),
      full: sum('full'),
    },
  ];
}

/**
 * Writes the figures between the markers of the report, keeping the hand-written text around them
 * (how to read it, what dominates the cost, what was changed). Returns a console summary, ratios
 * first.
 */
export function writeReport(file: string, results: BenchResults): string {
  writeSection(file, { begin: BEGIN_MARKER, end: END_MARKER }, renderFigures(results));
  return goalsOf(results)
    .map(
      (goal) =>
        `${goal.ok === undefined ? ' ' : goal.ok ? '✓' : '✗'} ${goal.name}: ${goal.measured} (target ${goal.target})`,
    )
    .join('\n');
}

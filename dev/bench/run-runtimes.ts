/**
 * `npm run bench:runtimes`: the same service and request as `npm run bench` on several Node
 * versions (`runtimes.ts`) in one run: CPU per answered request with the SDK disabled, 10% and
 * 100% traced, CPU per recorded span, and one span alone. Every runtime's services run at once and
 * are loaded in turns, so drift on the machine hits them all alike. The runtimes come from the npm
 * registry (`provision-node.ts`); this harness, the model stand-in and the span counters run on the
 * current node. Writes the "Runtimes" section of BENCHMARKS.md (`--out <file>` for another);
 * `--runtimes 26,22.15` picks runtimes by id; `--quick` runs two for a few seconds, only to check
 * that it works.
 */
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { commandOf } from '../process/process-stats';
import { ROOT, spawnService, stopAllServices, type SpawnedService } from '../process/spawn-service';
import { median } from './paired-rounds';
import { provisionNode } from './provision-node';
import type { BenchResults, VariantResult } from './report';
import { RUNTIME_VARIANTS, writeRuntimesReport, type RuntimeResult } from './runtimes-report';
import {
  probeRuntime,
  QUICK_RUNTIMES,
  RUNTIMES,
  type Runtime,
  type RuntimeProbe,
} from './runtimes';
import { measureSpanCost } from './span-cost-process';
import {
  finishVariant,
  interleavedRounds,
  newRunning,
  startVariant,
  type RoundSettings,
  type Running,
} from './variant-rounds';
import { VARIANTS } from './variants';

interface Settings extends RoundSettings {
  quick: boolean;
  out: string;
  runtimes: Runtime[];
  spanCostSpans: number;
  spanCostRounds: number;
}

function settingsFrom(argv: string[]): Settings {
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const out = path.resolve(option('--out') ?? path.join(ROOT, 'BENCHMARKS.md'));
  const ids = new Set(
    option('--runtimes')?.split(',') ?? (quick ? QUICK_RUNTIMES : RUNTIMES.map(({ id }) => id)),
  );
  const runtimes = [...ids].map((id) => {
    const runtime = RUNTIMES.find((candidate) => candidate.id === id);
    if (!runtime)
      throw new Error(
        `--runtimes: no runtime ${id}; one of ${RUNTIMES.map(({ id }) => id).join(', ')}`,
      );
    return runtime;
  });
  return quick
    ? {
        quick,
        out,
        runtimes,
        connections: 4,
        warmupSeconds: 1,
        rounds: 2,
        roundSeconds: 1,
        spanCostSpans: 2_000,
        spanCostRounds: 1,
      }
    : {
        quick,
        out,
        runtimes,
        connections: 8,
        warmupSeconds: 3,
        rounds: 5,
        roundSeconds: 8,
        spanCostSpans: 20_000,
        spanCostRounds: 5,
      };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

interface Provisioned {
  runtime: Runtime;
  node: string;
  probe: RuntimeProbe;
}

async function provision(runtime: Runtime): Promise<Provisioned> {
  const node = await provisionNode(runtime.version);
  const probe = await probeRuntime(node, runtime.nodeArgs);
  if (probe.version !== `v${runtime.version}`)
    throw new Error(`${node} says it is ${probe.version}, not v${runtime.version}`);
  return { runtime, node, probe };
}

/** The table must say what ran: the service's own process is checked, not only the spawn call. */
function checkRunsOn(service: SpawnedService, { node, runtime }: Provisioned): void {
  const { executable, argv } = commandOf(service.child.pid!);
  const missing = runtime.nodeArgs.filter((option) => !argv.includes(option));
  if (executable !== realpathSync(node) || missing.length > 0)
    throw new Error(
      `a ${runtime.id} service runs ${argv.join(' ')} (${executable}), not ${node} ${runtime.nodeArgs.join(' ')}`,
    );
}

/**
 * A runtime's services, started together: start-up is not measured here, and one after the other
 * it is most of a quick run.
 */
function startRuntime(provisioned: Provisioned, modelUrl: string) {
  return Promise.all(
    RUNTIME_VARIANTS.map(async (id) => {
      // Metrics off in every one, as in the runs this table was first written from, so that 100%
      // less nothing sampled is the recorded spans alone.
      const variant = { ...VARIANTS.find((candidate) => candidate.id === id)!, metrics: false };
      const { service, receiver } = await startVariant(variant, modelUrl, {
        nodeExecutable: provisioned.node,
        nodeArgs: provisioned.runtime.nodeArgs,
      });
      checkRunsOn(service, provisioned);
      return newRunning(variant, service, receiver, 250);
    }),
  );
}

/** Each runtime's span cost, one process per runtime and round, the runtimes in turns. */
async function measureSpanCosts(settings: Settings, runtimes: Provisioned[]) {
  const rounds = runtimes.map(() => [] as BenchResults['spanCost'][]);
  for (let round = 0; round < settings.spanCostRounds; round += 1) {
    for (const [index, { node, runtime }] of runtimes.entries()) {
      rounds[index]!.push(
        await measureSpanCost({
          spans: settings.spanCostSpans,
          nodeExecutable: node,
          nodeArgs: runtime.nodeArgs,
        }),
      );
    }
  }
  const medianOf = (
    costs: BenchResults['spanCost'][],
    pick: (cost: BenchResults['spanCost']) => number,
  ) => median(costs.map(pick));
  return rounds.map((costs) => ({
    spans: settings.spanCostSpans,
    createSetEnd: {
      wallUsPerSpan: medianOf(costs, (cost) => cost.createSetEnd.wallUsPerSpan),
      cpuUsPerSpan: medianOf(costs, (cost) => cost.createSetEnd.cpuUsPerSpan),
    },
    withOtlpExport: {
      wallUsPerSpan: medianOf(costs, (cost) => cost.withOtlpExport.wallUsPerSpan),
      cpuUsPerSpan: medianOf(costs, (cost) => cost.withOtlpExport.cpuUsPerSpan),
    },
  }));
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const startedAt = performance.now();
  const runtimes: Provisioned[] = [];
  for (const runtime of settings.runtimes) {
    log(`runtime ${runtime.id}: node ${runtime.version} ${runtime.nodeArgs.join(' ')}`);
    runtimes.push(await provision(runtime));
  }
  log(
    `runtimes (${settings.quick ? 'quick' : 'full'}): ${settings.rounds} rounds of ${settings.roundSeconds} s for each of ${runtimes.length * RUNTIME_VARIANTS.length} services, ${settings.connections} connections`,
  );
  const model = await spawnService({ entry: 'dist/emulator/main.js', register: null });
  try {
    const started: { provisioned: Provisioned; services: Running[] }[] = [];
    for (const provisioned of runtimes)
      started.push({ provisioned, services: await startRuntime(provisioned, model.url) });
    const runtimeIdOf = new Map(
      started.flatMap(({ provisioned, services }) =>
        services.map((service) => [service, provisioned.runtime.id] as const),
      ),
    );
    await interleavedRounds(
      [...runtimeIdOf.keys()],
      settings,
      log,
      (service) => `${runtimeIdOf.get(service)} ${service.variant.id}`,
    );
    const finished: { provisioned: Provisioned; variants: VariantResult[] }[] = [];
    for (const { provisioned, services } of started) {
      const variants: VariantResult[] = [];
      for (const service of services) variants.push(await finishVariant(service));
      finished.push({ provisioned, variants });
    }
    log('span cost ...');
    const spanCosts = await measureSpanCosts(settings, runtimes);
    const results: RuntimeResult[] = finished.map(({ provisioned, variants }, index) => ({
      runtime: provisioned.runtime,
      probe: provisioned.probe,
      variants,
      spanCost: spanCosts[index]!,
    }));
    const figures = writeRuntimesReport(settings.out, {
      quick: settings.quick,
      date: new Date().toISOString(),
      connections: settings.connections,
      rounds: settings.rounds,
      roundSeconds: settings.roundSeconds,
      runtimes: results,
      elapsedSeconds: Math.round((performance.now() - startedAt) / 1000),
    });
    process.stdout.write(
      `${figures}\nReport written to ${path.relative(process.cwd(), settings.out) || settings.out}\n`,
    );
  } finally {
    await stopAllServices();
    await model.stop();
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(
    `bench:runtimes failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await stopAllServices();
  process.exit(1);
});

/**
 * `npm run bench:compare -- <variant> <variant> ...`: a few variants of the service, loaded in turns
 * as `npm run bench` loads its own, each round paired with the first variant's round of the same
 * turn. For a lever whose effect is smaller than what the full benchmark can resolve: change one
 * thing by a variable or a Node flag, and compare.
 *
 * A variant is one of `npm run bench`'s (variants.ts), then optionally `+NAME=value,NAME=value`
 * (environment variables) and `@--flag --flag` (Node options), e.g.
 * `unsampled+OTEL_NODE_DISABLED_INSTRUMENTATIONS=http` or `full@--max-semi-space-size=32`.
 * `--rounds N` (default 8), `--seconds S` (default 5); `--quick` for a check that it works.
 */
import { mainThreadCpuTimeMs } from '../process/process-stats';
import { spawnService } from '../process/spawn-service';
import { runBenchmark } from './bench-entry';
import { median } from './paired-rounds';
import { table } from './report';
import { load, newRunning, pairedAgainst, startVariant, type Running } from './variant-rounds';
import { VARIANTS, type Variant } from './variants';

interface Compared {
  variant: Variant & { name: string; nodeArgs: string[] };
  entry: Running;
  /** The main thread's CPU per answered request, per round (ms). */
  mainThreadMs: number[];
}

function parseVariant(spec: string): Compared['variant'] {
  const [head = '', flags] = spec.split('@');
  const [id, assignments] = head.split('+');
  const base = VARIANTS.find((variant) => variant.id === id);
  if (!base) throw new Error(`unknown variant ${id}: ${VARIANTS.map((v) => v.id).join(', ')}`);
  const env = Object.fromEntries(
    (assignments ?? '')
      .split(',')
      .filter(Boolean)
      .map((assignment) => {
        const at = assignment.indexOf('=');
        if (at <= 0) throw new Error(`not NAME=value: ${assignment}`);
        return [assignment.slice(0, at), assignment.slice(at + 1)];
      }),
  );
  return {
    ...base,
    env: { ...base.env, ...env },
    name: spec,
    nodeArgs: flags ? flags.split(' ').filter(Boolean) : [],
  };
}

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const rounds = option(argv, '--rounds', quick ? 2 : 8);
  const seconds = option(argv, '--seconds', quick ? 1 : 5);
  const specs = argv.filter(
    (arg, index) => !arg.startsWith('--') && !['--rounds', '--seconds'].includes(argv[index - 1]!),
  );
  if (specs.length < 2) throw new Error('usage: bench:compare [--quick] <reference> <variant> ...');
  const settings = { connections: quick ? 4 : 8 };
  const model = await spawnService({ entry: 'dist/emulator/main.js', register: null });
  const compared: Compared[] = [];
  for (const variant of specs.map(parseVariant)) {
    const { service, receiver } = await startVariant(variant, model.url, {
      nodeArgs: variant.nodeArgs,
    });
    compared.push({
      variant,
      entry: newRunning(variant, service, receiver, 1_000),
      mainThreadMs: [],
    });
  }
  for (const { entry } of compared) await load(entry, settings, quick ? 1 : 4);
  for (let round = 1; round <= rounds; round += 1) {
    for (const each of compared) {
      const pid = each.entry.service.child.pid!;
      const before = mainThreadCpuTimeMs(pid);
      const result = await load(each.entry, settings, seconds);
      each.entry.rounds.push(result);
      each.mainThreadMs.push((mainThreadCpuTimeMs(pid) - before) / Math.max(1, result.ok));
      process.stderr.write(
        `round ${round} ${each.variant.name}: ${result.requestsPerSecond.toFixed(0)} req/s\n`,
      );
    }
  }
  const [reference] = compared;
  const rows = compared.map(({ variant, entry, mainThreadMs }) => {
    const paired = pairedAgainst(entry, reference!.entry);
    const mainAdded = median(mainThreadMs.map((ms, index) => ms - reference!.mainThreadMs[index]!));
    return [
      `\`${variant.name}\``,
      `${(median(entry.rounds.map((round) => round.cpuMsPerRequest)) * 1000).toFixed(0)} µs`,
      `${paired.cpuUsAdded >= 0 ? '+' : ''}${paired.cpuUsAdded.toFixed(0)} µs`,
      paired.capacity.toFixed(3),
      `${mainAdded * 1000 >= 0 ? '+' : ''}${(mainAdded * 1000).toFixed(0)} µs`,
      median(entry.rounds.map((round) => round.requestsPerSecond)).toFixed(0),
    ];
  });
  for (const { entry } of compared) {
    await entry.service.stop('SIGTERM');
    entry.rss.stop();
    await entry.receiver?.stop();
  }
  await model.stop();
  process.stdout.write(
    `### CPU per answered request, each round paired with \`${reference!.variant.name}\`\n\n${table(
      [
        'Variant',
        'CPU per request (median)',
        'Added, paired with the first',
        'Capacity (first ÷ it)',
        'Main thread added, paired',
        'req/s (median)',
      ],
      rows,
    )}\n\n${rounds} rounds of ${seconds} s per variant, interleaved, ${settings.connections} connections.\n`,
  );
}

runBenchmark(main);

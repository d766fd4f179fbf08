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
import { spawnService } from '../process/spawn-service';
import { runBenchmark } from './bench-entry';
import { median } from './paired-rounds';
import { signedDelta, table } from './report';
import {
  interleavedRounds,
  newRunning,
  pairedAgainst,
  startVariant,
  type Running,
} from './variant-rounds';
import { VARIANTS, type Variant } from './variants';

type ComparedVariant = Variant & { name: string; nodeArgs: string[] };

function parseVariant(spec: string): ComparedVariant {
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
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number ≥ 1`);
  return value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const settings = {
    connections: quick ? 4 : 8,
    warmupSeconds: quick ? 1 : 4,
    rounds: option(argv, '--rounds', quick ? 2 : 8),
    roundSeconds: option(argv, '--seconds', quick ? 1 : 5),
  };
  const specs = argv.filter(
    (arg, index) => !arg.startsWith('--') && !['--rounds', '--seconds'].includes(argv[index - 1]!),
  );
  if (specs.length < 2) throw new Error('usage: bench:compare [--quick] <reference> <variant> ...');
  const model = await spawnService({ entry: 'dist/emulator/main.js', register: null });
  const entries: Running[] = [];
  const names = new Map<Running, string>();
  for (const variant of specs.map(parseVariant)) {
    const { service, receiver } = await startVariant(variant, model.url, {
      nodeArgs: variant.nodeArgs,
    });
    const entry = newRunning(variant, service, receiver, 1_000);
    entries.push(entry);
    names.set(entry, variant.name);
  }
  const nameOf = (entry: Running) => names.get(entry)!;
  await interleavedRounds(entries, settings, log, nameOf);
  const [reference] = entries;
  const rows = entries.map((entry) => {
    const paired = pairedAgainst(entry, reference!);
    const mainThread = pairedAgainst(entry, reference!, (round) => round.mainThreadCpuMsPerRequest);
    const signedUs = (us: number) => `${signedDelta(Math.round(us))} µs`;
    return [
      `\`${nameOf(entry)}\``,
      `${(median(entry.rounds.map((round) => round.cpuMsPerRequest)) * 1000).toFixed(0)} µs`,
      signedUs(paired.cpuUsAdded),
      paired.capacity.toFixed(3),
      signedUs(mainThread.cpuUsAdded),
      median(entry.rounds.map((round) => round.requestsPerSecond)).toFixed(0),
    ];
  });
  for (const entry of entries) {
    await entry.service.stop('SIGTERM');
    entry.rss.stop();
    await entry.receiver?.stop();
  }
  await model.stop();
  process.stdout.write(
    `### CPU per answered request, each round paired with \`${nameOf(reference!)}\`\n\n${table(
      [
        'Variant',
        'CPU per request (median)',
        'Added, paired with the first',
        'Capacity (first ÷ it)',
        'Main thread added, paired',
        'req/s (median)',
      ],
      rows,
    )}\n\n${settings.rounds} rounds of ${settings.roundSeconds} s per variant, interleaved, ${settings.connections} connections.\n`,
  );
}

const log = (message: string) => process.stderr.write(`${message}\n`);

runBenchmark(main);

import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `npm run eval -- [options]

Runs a dataset of cases against the agent and scores each run from its own trace.

  --dataset FILE         the JSONL dataset (default evals/datasets/agent.jsonl), to which the
                         examples of the agent's tools are added (tagged tool-example)
  --filter TEXT          only the cases whose id contains TEXT or that are tagged TEXT (repeatable)
  --target URL           a running agent service, instead of starting the three services here
  --otlp-port PORT       the port of the OTLP/gRPC receiver the services export to (default: any
                         free port; with --target, give one and point the service's exporter at it)
  --concurrency N        cases in flight at once (default 4)
  --case-timeout-ms MS   the deadline of one case, its earlier turns included (default 60000)
  --experiment NAME      the experiment's name, part of its id (default local)
  --out DIR              where report.json and report.html are written (default .evals)
  --jaeger URL           where the reports' trace links point (default http://localhost:16686)
  --compare BASELINE     fail (exit 1) if a score drops past its tolerance in BASELINE
                         (\`baseline\` is evals/baseline.json)
  --update-baseline      write this run's scores as the baseline (the --compare file, or
                         evals/baseline.json), keeping its tolerances
  --no-judge             leave the LLM judge out
  --help                 this text

Offline by default: the services and the judge run on the Gemini emulator. With GEMINI_API_KEY set,
on the Gemini API (GEMINI_MODEL). Cases tagged emulator-only are skipped then, and with --target.`;

const optionsSchema = z.strictObject({
  dataset: z.string().default('evals/datasets/agent.jsonl'),
  filter: z.array(z.string().min(1)).default([]),
  target: z.url({ protocol: /^https?$/ }).optional(),
  otlpPort: z.coerce.number().int().min(0).max(65_535).optional(),
  concurrency: z.coerce.number().int().min(1).max(32).default(4),
  caseTimeoutMs: z.coerce.number().int().min(1_000).default(60_000),
  experiment: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and -, at most 40')
    .default('local'),
  out: z.string().min(1).default('.evals'),
  jaeger: z.url({ protocol: /^https?$/ }).default('http://localhost:16686'),
  compare: z.string().min(1).optional(),
  updateBaseline: z.boolean().default(false),
  judge: z.boolean().default(true),
  help: z.boolean().default(false),
});

export type EvalOptions = z.infer<typeof optionsSchema>;

/** Wrong options: said in one line, with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command line, checked: every option is known and every value in range. */
export function parseOptions(args: readonly string[]): EvalOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        dataset: { type: 'string' },
        filter: { type: 'string', multiple: true },
        target: { type: 'string' },
        'otlp-port': { type: 'string' },
        concurrency: { type: 'string' },
        'case-timeout-ms': { type: 'string' },
        experiment: { type: 'string' },
        out: { type: 'string' },
        jaeger: { type: 'string' },
        compare: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        'no-judge': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const {
    'otlp-port': otlpPort,
    'case-timeout-ms': caseTimeoutMs,
    'update-baseline': updateBaseline,
    'no-judge': noJudge,
    ...rest
  } = values;
  const parsed = optionsSchema.safeParse({
    ...rest,
    otlpPort,
    caseTimeoutMs,
    updateBaseline,
    judge: noJudge ? false : undefined,
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues
        .map(
          (issue) =>
            `--${String(issue.path[0]).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}: ${issue.message}`,
        )
        .join('; '),
    );
  return parsed.data;
}

/** `baseline` is evals/baseline.json; anything with a slash or `.json` is a path. */
export function baselineFile(name: string): string {
  return /[/\\]|\.json$/.test(name) ? name : `evals/${name}.json`;
}

/**
 * The span pipeline of our own code, per span and in one process: the SDK with the enriching and
 * redacting span processors and the sanitizer, on `llm.generate`-like spans (a baggage with a
 * correlation id and a user id, a configured secret to scrub, 11 attributes). No export: this is
 * what our code adds to the SDK, measured finely enough to see a change of 0.1 µs per span.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  type Attributes,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import { TracerProvider, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import * as enriching from '../../src/tracing/processors/enriching-span-processor';
import * as secrets from '../../src/tracing/privacy/known-secrets';
import * as redacting from '../../src/tracing/processors/redacting-span-processor';
import * as sanitize from '../../src/tracing/privacy/sanitize';
import { cpuUsPer, type Contender } from './paired-rounds';

/** What the pipeline is made of: this checkout's modules, or another checkout's built ones. */
interface PipelineCode {
  EnrichingSpanProcessor: typeof enriching.EnrichingSpanProcessor;
  processAttributes: typeof enriching.processAttributes;
  RedactingSpanProcessor: typeof redacting.RedactingSpanProcessor;
  KnownSecrets: typeof secrets.KnownSecrets;
  sanitizeAttributes: typeof sanitize.sanitizeAttributes;
}

const CURRENT: PipelineCode = { ...enriching, ...secrets, ...redacting, ...sanitize };

/**
 * The same modules built in another checkout (`git worktree add /tmp/before <commit>`, then
 * `npm ci && npm run build` there): the "before" of a change to the processors, without keeping
 * the old code in src/.
 */
function baselineCode(checkout: string): PipelineCode {
  return {
    ...loadBuilt(checkout, 'processors/enriching-span-processor.js'),
    ...loadBuilt(checkout, 'privacy/known-secrets.js'),
    ...loadBuilt(checkout, 'processors/redacting-span-processor.js'),
    ...loadBuilt(checkout, 'privacy/sanitize.js'),
  } as PipelineCode;
}

/** A built tracing module, in its folder or, in a checkout from before the folders, flat. */
function loadBuilt(checkout: string, module: string): object {
  const inFolder = path.resolve(checkout, 'dist/tracing', module);
  const flat = path.resolve(checkout, 'dist/tracing', path.basename(module));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(existsSync(inFolder) ? inFolder : flat);
}

const MAX_ATTRIBUTE_LENGTH = 4_096;
const SECRET = 'bench-model-api-key';

/** The parts of the pipeline a contender runs, so that our share can be read part by part. */
interface Parts {
  sanitizer: boolean;
  enriching: boolean;
  redacting: boolean;
}

const ALL: Parts = { sanitizer: true, enriching: true, redacting: true };

function spanMaker(code: PipelineCode, parts: Parts): (parent: Context) => void {
  const processors: SpanProcessor[] = [];
  if (parts.enriching)
    processors.push(new code.EnrichingSpanProcessor(code.processAttributes('0.1.0')));
  if (parts.redacting)
    processors.push(new code.RedactingSpanProcessor(new code.KnownSecrets([SECRET])));
  processors.push(new NoopSpanProcessor());
  const tracer: Tracer = new TracerProvider({
    spanProcessors: processors,
    spanLimits: { attributeValueLengthLimit: MAX_ATTRIBUTE_LENGTH },
  }).getTracer('pipeline-levers');
  const clean = (attributes: Record<string, unknown>) =>
    parts.sanitizer
      ? code.sanitizeAttributes(attributes, MAX_ATTRIBUTE_LENGTH)
      : (attributes as Attributes);
  return (parent) => {
    const span = tracer.startSpan('llm.generate', { kind: SpanKind.CLIENT }, parent);
    span.setAttributes(
      clean({
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'agent.step.number': 0,
        'server.address': '127.0.0.1',
        'server.port': 8090,
        'gen_ai.input.messages': undefined,
      }),
    );
    span.setAttribute('url.full', 'http://127.0.0.1:8090/v1beta/models/gemini:generateContent');
    span.setAttributes(
      clean({
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.response.finish_reasons': ['STOP'],
        'gen_ai.response.id': 'response-0123',
      }),
    );
    span.end();
  };
}

/**
 * The contenders, the whole current pipeline first (the reference), then the SDK with parts of it
 * taken away (what each part costs), then the baseline checkout's whole pipeline if one is given.
 */
export function pipelineContenders(spans: number, baseline?: string): Contender[] {
  const parent = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({
      'correlation.id': { value: 'c-0123456789' },
      'user.id': { value: 'ana' },
    }),
  );
  const contender = (name: string, code: PipelineCode, parts: Parts): Contender => {
    const makeSpan = spanMaker(code, parts);
    return {
      name,
      round: () =>
        cpuUsPer(spans, () => {
          for (let index = 0; index < spans; index += 1) makeSpan(parent);
        }),
    };
  };
  return [
    contender('Current pipeline (sanitizer, enriching, redacting)', CURRENT, ALL),
    contender('… without the redacting processor', CURRENT, { ...ALL, redacting: false }),
    contender('… without the enriching processor', CURRENT, { ...ALL, enriching: false }),
    contender('… without the sanitizer', CURRENT, { ...ALL, sanitizer: false }),
    contender('The SDK alone (none of ours)', CURRENT, {
      sanitizer: false,
      enriching: false,
      redacting: false,
    }),
    ...(baseline
      ? [contender(`Baseline pipeline (${baseline})`, baselineCode(baseline), ALL)]
      : []),
  ];
}

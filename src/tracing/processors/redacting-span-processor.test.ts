import { SpanStatusCode } from '@opentelemetry/api';
import {
  TracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace';
import { KnownSecrets } from '../privacy/known-secrets';
import { RedactingSpanProcessor } from './redacting-span-processor';

const PLANTED = 'planted-secret-0123456789';

function exportedSpanOf(
  record: (span: ReturnType<ReturnType<TracerProvider['getTracer']>['startSpan']>) => void,
  name = 'GET',
) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      new RedactingSpanProcessor(new KnownSecrets([PLANTED])),
      new SimpleSpanProcessor({ exporter }),
    ],
  });
  const span = provider.getTracer('test').startSpan(name);
  record(span);
  span.end();
  return exporter.getFinishedSpans()[0]!;
}

describe('RedactingSpanProcessor', () => {
  it('redacts secret-looking query values in url.query and url.full, keeping the other parameters', () => {
    const span = exportedSpanOf((span) =>
      span.setAttributes({
        'url.query': 'q=otel&api_key=k1&token=t2',
        'url.full': 'http://h/p?password=p3&page=2',
      }),
    );
    expect(span.attributes['url.query']).toBe('q=otel&api_key=REDACTED&token=REDACTED');
    expect(span.attributes['url.full']).toBe('http://h/p?password=REDACTED&page=2');
  });

  it('removes a configured secret from attributes, exception events and the status message', () => {
    const span = exportedSpanOf((span) => {
      span.setAttribute('note', `echo ${PLANTED}`);
      span.setAttribute('list', ['a', PLANTED]);
      span.recordException(new Error(`API key ${PLANTED} not valid`));
      span.setStatus({ code: SpanStatusCode.ERROR, message: `key ${PLANTED}` });
    });
    expect(JSON.stringify([span.name, span.attributes, span.events, span.status])).not.toContain(
      PLANTED,
    );
    expect(span.attributes.note).toBe('echo [REDACTED]');
    expect(span.events[0]!.attributes!['exception.message']).toBe('API key [REDACTED] not valid');
  });

  it("removes a configured secret from a span's name", () => {
    const span = exportedSpanOf(() => {}, `GET /keys/${PLANTED}`);
    expect(span.name).toBe('GET /keys/[REDACTED]');
  });

  it('renames no span whose name holds no secret: nothing is rewritten on every span', () => {
    let renames = 0;
    const span = exportedSpanOf((span) => {
      const rename = span.updateName.bind(span);
      span.updateName = (name) => (renames++, rename(name));
    }, 'POST /api/v1/agent/execute');
    expect(span.name).toBe('POST /api/v1/agent/execute');
    expect(renames).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../env';
import { readConfigFile } from './read-config-file';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
let folder: string;
beforeAll(() => void (folder = mkdtempSync(path.join(tmpdir(), 'otel-config-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
function fileWith(yaml: string): string {
  const file = path.join(folder, `config-${++files}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

const PROCESSORS = `
  processors:
    - simple:
        exporter:
          console:`;

function problemOf(file: string): string {
  try {
    readConfigFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe('readConfigFile', () => {
  afterEach(() => {
    delete process.env.TEST_RATIO;
    delete process.env.TEST_ENDPOINT;
  });

  it('substitutes ${VAR} and ${VAR:-default} from the environment, an unset one without a default as null', () => {
    process.env.TEST_RATIO = '0.25';
    const { model } = readConfigFile(
      fileWith(`file_format: "1.1"
resource:
  attributes:
    - name: service.name
      value: \${TEST_UNSET_NAME}
tracer_provider:
  sampler:
    parent_based:
      root:
        trace_id_ratio_based:
          ratio: \${TEST_RATIO}
  processors:
    - batch:
        exporter:
          otlp_grpc:
            endpoint: \${TEST_ENDPOINT:-http://collector:4317}
`),
    );
    expect(model.resource?.attributes).toEqual([{ name: 'service.name', value: null }]);
    expect(model.tracer_provider?.sampler).toEqual({
      parent_based: { root: { trace_id_ratio_based: { ratio: 0.25 } } },
    });
    expect(model.tracer_provider?.processors[0]?.batch?.exporter.otlp_grpc?.endpoint).toBe(
      'http://collector:4317',
    );
  });

  it('accepts our adaptive sampler as the root of parent_based', () => {
    const { model } = readConfigFile(
      fileWith(`file_format: "1.1"
tracer_provider:
  sampler:
    parent_based:
      root:
        traced_agent_adaptive:
          target_per_second: 20${PROCESSORS}
`),
    );
    expect(model.tracer_provider?.sampler?.parent_based?.root).toEqual({
      traced_agent_adaptive: { target_per_second: 20 },
    });
  });

  it.each(['otel-development.yaml', 'otel-production.yaml'])('accepts config/%s', (name) => {
    expect(readConfigFile(path.join(ROOT, 'config', name)).model.tracer_provider).toBeDefined();
  });

  it.each([
    ['a file that is not there', null, 'cannot be read (ENOENT)'],
    [
      'a YAML syntax error the format parser would accept',
      'file_format: "1.1"\ndisabled: false\ndisabled: true\n',
      'is not valid YAML: Map keys must be unique at line 3, column 1',
    ],
    [
      'an unquoted file_format',
      'file_format: 1.1\n',
      '/file_format must be a string: quote it, e.g. file_format: "1.1"',
    ],
    [
      'a newer major file_format',
      'file_format: "2.0"\n',
      'Unsupported file_format: "2.0". This SDK supports schema version 1.x.',
    ],
    [
      'what the format refuses',
      'file_format: "1.1"\ntracer_provider:\n  processors: []\n',
      '/tracer_provider/processors must NOT have fewer than 1 items',
    ],
    [
      'a sampler the format has and this service does not apply',
      `file_format: "1.1"\ntracer_provider:\n  sampler:\n    probability/development:\n      ratio: 0.1${PROCESSORS}\n`,
      '/tracer_provider/sampler/probability/development: not supported by this service',
    ],
    [
      'a section this service does not apply',
      'file_format: "1.1"\nlogger_provider:\n  processors:\n    - simple:\n        exporter:\n          console:\n',
      '/logger_provider: not supported by this service',
    ],
    [
      'metric views',
      'file_format: "1.1"\nmeter_provider:\n  readers:\n    - pull:\n        exporter:\n          prometheus/development:\n  views:\n    - selector:\n        instrument_name: x\n      stream:\n        aggregation:\n          drop:\n',
      '/meter_provider/views: not supported by this service',
    ],
    [
      'exporter certificates',
      'file_format: "1.1"\ntracer_provider:\n  processors:\n    - batch:\n        exporter:\n          otlp_http:\n            tls:\n              ca_file: /etc/ca.pem\n',
      '/tracer_provider/processors/0/batch/exporter/otlp_http/tls: not supported by this service',
    ],
    [
      'our adaptive sampler anywhere but the root',
      `file_format: "1.1"\ntracer_provider:\n  sampler:\n    traced_agent_adaptive:${PROCESSORS}\n`,
      '/tracer_provider/sampler/traced_agent_adaptive: only as the root of parent_based',
    ],
    [
      'a ratio above 1',
      `file_format: "1.1"\ntracer_provider:\n  sampler:\n    trace_id_ratio_based:\n      ratio: 10${PROCESSORS}\n`,
      '/tracer_provider/sampler/trace_id_ratio_based/ratio must be <= 1',
    ],
    [
      'an export timeout of 0 (no limit)',
      'file_format: "1.1"\ntracer_provider:\n  processors:\n    - batch:\n        export_timeout: 0\n        exporter:\n          console:\n',
      '/tracer_provider/processors/0/batch/export_timeout: must be more than 0',
    ],
    [
      'a propagator it does not ship',
      'file_format: "1.1"\npropagator:\n  composite_list: tracecontext,xray\n',
      '/propagator/composite_list: must list names among tracecontext, baggage, b3, b3multi, none',
    ],
    [
      'resource attributes_list that is not key=value pairs',
      'file_format: "1.1"\nresource:\n  attributes_list: team\n',
      '/resource/attributes_list: must be key=value pairs',
    ],
    [
      'an invalid substitution',
      'file_format: "1.1"\ndisabled: ${sys:x}\n',
      'parse error: invalid env var substitution: ${sys:x}',
    ],
  ])('refuses %s in one line naming the file', (_case, yaml, expected) => {
    const file = yaml === null ? path.join(folder, 'missing.yaml') : fileWith(yaml);
    const message = problemOf(file);
    expect(message.startsWith(`Invalid configuration: OTEL_CONFIG_FILE ${file}: `)).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });
});

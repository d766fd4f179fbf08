import { parseConfigFile } from '@opentelemetry/configuration';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { readVariableFile } from '../../../env';
import { fileModelSchema, type FileModel } from './config-file-schema';
import { fileMaxAttributeLength, fileServiceName } from './file-settings';

export interface ConfigFile {
  /** As given in `OTEL_CONFIG_FILE` (relative to the working directory). */
  path: string;
  model: FileModel;
  /** `service.name` as the file decides it (see `fileServiceName`); unset, the service's own. */
  serviceName: string | undefined;
  /** The longest attribute value the file allows, if it says. */
  maxAttributeLength: number | undefined;
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean) ?? text;

/** `/tracer_provider/processors/0`, as the package's validator names places. */
const pointer = (path: readonly PropertyKey[]) => path.map((key) => `/${String(key)}`).join('');

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `${pointer([...issue.path, issue.keys[0]!])}: not supported by this service`;
  return `${pointer(issue.path) || '/'}: ${issue.message}`;
}

/**
 * The package's message without what the line already says: `Invalid OpenTelemetry config file:
 * <path>: /disabled must be boolean,null` becomes `/disabled must be boolean,null`. With several
 * errors it lists them on separate lines: the first is kept.
 */
function packageProblem(error: unknown, path: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return firstLine(
    message
      .replace(/^Invalid OpenTelemetry config file: /, '')
      .replace(`${path}: `, '')
      .replace(/^\s*\n/, ''),
  );
}

/**
 * Reads `OTEL_CONFIG_FILE` once at start-up. Each problem ends start-up with one line naming the
 * file and the first error, found in this order: the file cannot be read; it is not YAML (the
 * package would parse a broken file into whatever it makes of it, and take a repeated key's last
 * value); it does not follow the format (`@opentelemetry/configuration`, which also substitutes
 * `${VAR}` and `${VAR:-default}` from the process's environment); it asks for something this service
 * does not apply (config-file-schema.ts). Throws `ConfigError`.
 */
export function readConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const { text, fail } = readVariableFile('OTEL_CONFIG_FILE', path);
  const document = parseDocument(text, { version: '1.2' });
  const [yamlError] = document.errors;
  if (yamlError) fail(`is not valid YAML: ${firstLine(yamlError.message).replace(/:$/, '')}`);
  // The package's own message for this common slip reads as if "1.1" were not supported.
  if (typeof document.get('file_format') === 'number')
    fail('/file_format must be a string: quote it, e.g. file_format: "1.1"');
  let parsed: unknown;
  try {
    parsed = parseConfigFile(path);
  } catch (error) {
    fail(packageProblem(error, path));
  }
  const model = fileModelSchema.safeParse(parsed);
  if (!model.success) return fail(describeIssue(model.error.issues[0]!));
  return {
    path,
    model: model.data,
    serviceName: fileServiceName(model.data, env),
    maxAttributeLength: fileMaxAttributeLength(model.data),
  };
}

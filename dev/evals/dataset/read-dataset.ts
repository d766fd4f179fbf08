import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { evalCaseSchema, type EvalCase } from './case-schema';

export interface Dataset {
  /** The file's name without `.jsonl`, e.g. `agent`. */
  name: string;
  /** The first 12 hex digits of the file's SHA-256: a change to any case is a new version. */
  version: string;
  cases: EvalCase[];
}

/** A dataset that cannot be used, with the file and line at fault in its message. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const field = issue.path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index ? `.${String(key)}` : key))
    .join('');
  return field ? `${field}: ${issue.message}` : issue.message;
};

/**
 * One case checked against the case schema; an error names where it comes from (`at`), and its id
 * when it has one.
 */
export function parseCase(json: unknown, at: string): EvalCase {
  const parsed = evalCaseSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const id = (json as { id?: unknown } | null)?.id;
  const named = typeof id === 'string' ? ` (case "${id}")` : '';
  throw new DatasetError(`${at}${named}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
}

/**
 * The cases of a JSONL text, one JSON object a line (blank lines skipped), each checked against
 * the case schema. The first bad line stops the reading with an error that names it: a dataset is
 * fixed before it is run, not run in part.
 */
export function parseDataset(text: string, file: string): Dataset {
  const cases: EvalCase[] = [];
  const lineOfId = new Map<string, number>();
  for (const [index, line] of text.split('\n').entries()) {
    const lineNumber = index + 1;
    if (!line.trim()) continue;
    const at = `${file}:${lineNumber}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`${at}: not JSON (${(error as Error).message})`);
    }
    const evalCase = parseCase(json, at);
    const earlier = lineOfId.get(evalCase.id);
    if (earlier !== undefined)
      throw new DatasetError(`${at}: the id "${evalCase.id}" is already used on line ${earlier}`);
    lineOfId.set(evalCase.id, lineNumber);
    cases.push(evalCase);
  }
  if (!cases.length) throw new DatasetError(`${file}: no case in it`);
  return {
    name: path.basename(file, '.jsonl'),
    version: createHash('sha256').update(text).digest('hex').slice(0, 12),
    cases,
  };
}

export function readDataset(file: string): Dataset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatasetError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseDataset(text, path.relative(process.cwd(), file) || file);
}

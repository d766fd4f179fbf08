/** A request of a workshop step, sent as the guide's `curl` would send it. */
export interface StepRequest {
  /** Default `/api/v1/agent/execute`. */
  path?: string;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export const EXECUTE = '/api/v1/agent/execute';

export async function send(baseUrl: string, request: StepRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.path ?? EXECUTE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: JSON.stringify(request.body),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
}

/** What a student looks at in an answer; the rest (usage, the feedback link) is left out. */
const SHOWN_FIELDS = ['response', 'stopped_reason', 'trace_id', 'error'];

/** `→ POST /api/v1/agent/execute {"task":…}` (with the headers sent, one per line). */
export function describeRequest(request: StepRequest): string[] {
  return [
    `→ POST ${request.path ?? EXECUTE} ${JSON.stringify(request.body)}`,
    ...Object.entries(request.headers ?? {}).map(([name, value]) => `  ${name}: ${value}`),
  ];
}

/** The start of a long answer is enough to see what it says; the rest would wrap for lines. */
const MAX_RESPONSE_CHARS = 100;

const shorten = (value: unknown) =>
  typeof value === 'string' && value.length > MAX_RESPONSE_CHARS
    ? `${value.slice(0, MAX_RESPONSE_CHARS - 1)}…`
    : value;

/** `← 200 {"response":…,"trace_id":…}`, and the named response headers, one per line. */
export function describeAnswer(answer: Answer, showHeaders: readonly string[] = []): string[] {
  const shown = Object.fromEntries(
    SHOWN_FIELDS.filter((field) => field in answer.body).map((field) => [
      field,
      field === 'response' ? shorten(answer.body[field]) : answer.body[field],
    ]),
  );
  return [
    `← ${answer.status} ${JSON.stringify(shown)}`,
    ...showHeaders.map((name) => `  ${name}: ${answer.headers.get(name) ?? '(none)'}`),
  ];
}

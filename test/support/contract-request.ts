import supertest from 'supertest';
import { assertMatchesDocument } from './openapi-contract';

type Json = Record<string, unknown>;

/** The OpenAPI documents of the services spawned so far, by base URL. */
const documents = new Map<string, Json>();

export function rememberDocument(url: string, document: Json): void {
  documents.set(url, document);
}

/** Throws unless a response read with fetch (a stream) is one the service's document promises. */
export function assertAsDocumented(url: string, response: Response, text: string): void {
  const document = documents.get(url);
  if (!document) throw new Error(`No OpenAPI document was read from ${url}`);
  assertMatchesDocument(document, {
    method: 'post',
    path: new URL(response.url).pathname,
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: undefined,
    text,
  });
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * supertest, for the integration tests: every answer from a service that serves an OpenAPI
 * document (the agent, the sub-agent) must be one the document promises, errors included, or the
 * request's test fails. Other servers (the emulator, stand-ins) are asked as with plain supertest.
 */
export default function request(url: string): ReturnType<typeof supertest> {
  const agent = supertest(url);
  const document = documents.get(url);
  if (!document) return agent;
  for (const method of METHODS) {
    const send = agent[method].bind(agent);
    agent[method] = (path: string) =>
      send(path).expect((response) =>
        assertMatchesDocument(document, {
          method,
          path: new URL(path, url).pathname,
          status: response.status,
          headers: response.headers as Record<string, string>,
          body: response.body,
          text: response.text,
        }),
      );
  }
  return agent;
}

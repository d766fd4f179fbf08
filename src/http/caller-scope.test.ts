import type { Request, Response } from 'express';
import { callerScopeOf } from './caller-scope';
import { HttpError } from './errors';

const requestWith = (onBehalfOf?: string) =>
  ({
    get: (name: string) => (name.toLowerCase() === 'x-on-behalf-of' ? onBehalfOf : undefined),
  }) as unknown as Request;
const responseOf = (clientId?: string) =>
  ({ locals: clientId ? { clientId } : {} }) as unknown as Response;

describe('callerScopeOf', () => {
  it('is the authenticated caller when no tenant is named', () => {
    expect(callerScopeOf(requestWith(), responseOf('key:aaaa'))).toBe('key:aaaa');
    expect(callerScopeOf(requestWith(), responseOf())).toBeUndefined();
  });

  it('keeps a named tenant inside the caller’s own scope', () => {
    expect(callerScopeOf(requestWith('key:bbbb'), responseOf('key:aaaa'))).toBe(
      'key:aaaa/key:bbbb',
    );
    // Another key naming the same tenant gets another scope.
    expect(callerScopeOf(requestWith('key:bbbb'), responseOf('key:cccc'))).toBe(
      'key:cccc/key:bbbb',
    );
    // The tenant alone is never the scope of the key it names.
    expect(callerScopeOf(requestWith('key:bbbb'), responseOf())).toBe('/key:bbbb');
  });

  it.each([
    ['spaces and markup', 'a <b>'],
    ['a comma (two headers)', 'key:a, key:b'],
    ['257 characters', 'a'.repeat(257)],
    ['empty', ''],
  ])('refuses a tenant that is not an identifier: %s', (_label, value) => {
    expect(() => callerScopeOf(requestWith(value), responseOf('key:aaaa'))).toThrow(HttpError);
  });
});

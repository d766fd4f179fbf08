import { createHash, timingSafeEqual } from 'node:crypto';

/** The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`. */
export function presentedKey(
  authorization: string | undefined,
  apiKeyHeader: string | undefined,
): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  return bearer?.trim() || apiKeyHeader?.trim() || undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether a presented key is one of `keys`. Compared as SHA-256 digests with `timingSafeEqual`,
 * against every key, so the time taken says nothing about how much of a key was right.
 */
export function createKeyMatcher(keys: readonly string[]): (key: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (key) => {
    if (!key) return false;
    const presented = digest(key);
    let matched = false;
    for (const candidate of digests) matched = timingSafeEqual(presented, candidate) || matched;
    return matched;
  };
}

import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `work` so that nothing it does makes a span or carries trace headers: for background
 * housekeeping that belongs to no request (connecting to an MCP server and retrying while it is
 * down), which would otherwise export a root span per attempt.
 */
export function withoutTracing<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}

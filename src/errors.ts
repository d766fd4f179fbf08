/**
 * An error that names what went wrong with a stable, low-cardinality type: the `error.type` of
 * the span it fails, and the `code` the HTTP layer answers with.
 */
export abstract class TypedError<Type extends string> extends Error {
  constructor(
    readonly errorType: Type,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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

/**
 * A `TypedError` from a service we call (the model API, the sub-agent), with what the HTTP layer
 * needs to answer for it (the status it got, when to try again) kept in `options`.
 */
export abstract class UpstreamError<
  Type extends string,
  Details extends object,
> extends TypedError<Type> {
  constructor(
    errorType: Type,
    message: string,
    readonly options: { cause?: unknown; status?: number } & Details = {} as Details,
  ) {
    super(errorType, message, { cause: options.cause });
  }
}

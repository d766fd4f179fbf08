/**
 * The defaults of every limit, in one place: the variables' schema (src/variables.ts) reads its
 * defaults from here, and so do the classes that can be used without it (the agent, memory,
 * retries, shutdown), so that the two can never disagree. Most are constants: a value is a
 * variable only when someone running the service has a reason to change it. No imports: the
 * register module loads this before the app.
 */
export const LIMITS = {
  /**
   * Longest string attribute on a span (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`), and of an exception
   * message.
   */
  maxAttributeLength: 4_096,
  maxExceptionMessageLength: 1_000,
  /** How many times a run asks the model again after a function call it could not form. */
  malformedCallRetries: 2,
  /** How much of a sub-agent's error message is quoted in ours. */
  subAgentErrorDetailChars: 200,
  /** Pages of `tools/list` read from an MCP server. */
  mcpMaxListPages: 10,
  /**
   * Tools' own input bounds: calculator expression, Markdown text, numbers given to `statistics`.
   */
  maxExpressionLength: 500,
  maxMarkdownLength: 20_000,
  maxStatisticsValues: 10_000,
  /** Failed authentications a minute from one address before key guessing is slowed down (429). */
  failedAuthenticationsPerMinute: 20,
  /**
   * After SHUTDOWN_TIMEOUT_MS: time to flush spans and release resources, and (within it) for
   * cancelled runs to answer.
   */
  flushGraceMs: 5_000,
  cancelGraceMs: 1_000,
  /**
   * Shutting down: idle keep-alive connections are closed once no request has started for this
   * long (src/http/draining-connections.ts). Measured with six agents calling the tool service
   * through its shutdown: at 100 ms, 5 calls in 25 shutdowns were cut as their client sent them;
   * at 250 ms, none in 40.
   */
  drainQuietMs: 250,
  /**
   * A connection answered while its client still sends its body (a 413, a 415, a 401): at most this
   * much more of the body is read and thrown away, and the connection is closed at the latest this
   * long after the answer. A client that reads only once it has sent everything (many do, and a
   * busy one does) then reaches our answer instead of a reset: a 3 MB body on a 5 Mbit/s link fits
   * both. Past either bound the client is reset; one that reads while it sends has read the answer.
   */
  lingerMaxBytes: 4 * 1024 * 1024,
  closeLingerMs: 5_000,
  modelTimeoutMs: 30_000,
  /**
   * Attempts per model call, the first included. Not a variable (it was `MODEL_MAX_ATTEMPTS`): the
   * backoff honours `Retry-After`, and a run's deadline (`REQUEST_TIMEOUT_MS`) bounds the retries
   * whatever their number.
   */
  modelMaxAttempts: 4,
  /**
   * One tool call's deadline. Not a variable (it was `TOOL_TIMEOUT_MS`): the tools are this
   * service's own, quick by design; a slow one is a tool to fix, and the run's deadline still
   * bounds it.
   */
  toolTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  /**
   * Model calls one run may make, retries included. Not a variable (it was `MAX_MODEL_CALLS`): a
   * caller bounds a run with `max_steps` (at most 25 steps), and this only stops a model that loops
   * within them.
   */
  maxModelCalls: 40,
  /**
   * A tool result longer than this (as JSON) is cut before the model or a span sees it. Not a
   * variable (it was `MAX_TOOL_RESULT_CHARS`): about 4,000 tokens, a bound on a model's input, not
   * a choice a deployment makes.
   */
  maxToolResultChars: 16_000,
  /**
   * Memory in the process, the quick start's: sessions kept (least recently used forgotten first),
   * characters per session (about 8,000 tokens replayed on each model call) and over all sessions
   * (8 to 16 MB of strings, one or two bytes a character). Not variables (they were
   * `MEMORY_MAX_SESSIONS`, `MEMORY_MAX_SESSION_CHARS`, `MEMORY_MAX_TOTAL_CHARS`): they keep one
   * process from running out of memory, and memory that must hold more belongs in PostgreSQL
   * (`DATABASE_URL`). How many turns a session replays stays a variable (`MEMORY_MAX_TURNS`).
   */
  memoryMaxSessions: 1_000,
  memoryMaxTurns: 20,
  memoryMaxSessionChars: 32_000,
  memoryMaxTotalChars: 8_000_000,
  /**
   * Long-term memory: earlier turns given to the model per run, at most, and their characters
   * (about 1,000 tokens); turns kept per caller and user, in either store (the oldest are deleted
   * first). Not a variable (it was `MEMORY_MAX_TURNS_PER_USER`): it bounds storage and what one
   * in-process search indexes, it is no retention policy (a user's memory is erased with `DELETE
   * /api/v1/memory`).
   */
  memorySearchMaxResults: 3,
  memorySearchMaxChars: 4_000,
  memoryMaxTurnsPerUser: 1_000,
  /**
   * PostgreSQL memory: connections per process (a database's default max_connections is 100, so
   * ten replicas fit), how long one statement may run, and how long to wait for a connection
   * before the run goes on without memory.
   */
  databasePoolSize: 10,
  databaseStatementTimeoutMs: 2_000,
  databaseConnectTimeoutMs: 2_000,
  /**
   * The agent's recent runs in PostgreSQL (feedback): a pool of their own, small (one statement
   * per answer or feedback), used only when a run is answered or feedback arrives.
   */
  databaseFeedbackPoolSize: 2,
  /**
   * A failing dependency (the database for memory or feedback, the model, the sub-agent) is logged
   * at most once per this interval for each kind of failure.
   */
  failureLogIntervalMs: 60_000,
  subAgentTimeoutMs: 20_000,
  shutdownTimeoutMs: 10_000,
  /**
   * SIGTERM in production: how long the service keeps answering with `/readyz` at 503 before it
   * stops accepting connections, so that load balancers and Kubernetes endpoints stop sending it
   * requests first (`SHUTDOWN_DRAIN_DELAY_MS`; 0 outside production, where nothing routes to it).
   */
  shutdownDrainDelayMs: 5_000,
  /**
   * Readiness (`GET /readyz`): a dependency (the memory database, the sub-agent) is asked at most
   * once per `readinessCacheMs` whatever the probes' rate, and fails when it has not answered within
   * `readinessCheckTimeoutMs`, well inside a kubelet probe's own timeout (1 s by default).
   */
  readinessCheckTimeoutMs: 500,
  readinessCacheMs: 1_000,
  /**
   * A request that arrives before the service's start-up work is done (the agent's MCP tool list)
   * waits for it at most this long, then is answered 503 not_ready with Retry-After: loading the
   * MCP SDK and listing the tools takes well under a second when the tool service answers.
   */
  startupWaitMs: 3_000,
  /** Reconnecting to an MCP server that was down: the first retry, doubling up to the last. */
  mcpRetryInitialDelayMs: 1_000,
  mcpRetryMaxDelayMs: 30_000,
  /**
   * An execute request: the task's length, the length of `user_id` / `session_id`, and `max_steps`.
   */
  maxTaskLength: 8_000,
  maxIdLength: 128,
  /**
   * The longest `X-On-Behalf-Of` a service takes: long enough for a scope that is itself nested
   * (`key:…/key:…`); a longer scope is passed on as its digest (src/agent/sub-agent-client.ts).
   */
  maxOnBehalfOfLength: 256,
  defaultMaxSteps: 10,
  maxStepsLimit: 25,
  /**
   * The minimum-duration span filter (SPAN_MIN_DURATION_MS) holds each trace's spans until its
   * local root ends: at most this many traces, for at most this long (a little longer than a run
   * may last). Past either bound, a trace's spans are exported unfiltered, never lost.
   */
  spanFilterMaxPendingTraces: 1_000,
  spanFilterMaxPendingAgeMs: 130_000,
  /**
   * Admission (src/http/admission/, docs/serving.md): a run is admitted while the process can hold
   * it, refused at once with 503 when it cannot; nothing waits. The signals are sampled once a
   * window; the event loop's delay is the 90th percentile of that window (src/http/admission/
   * pressure.ts says why not the 99th).
   */
  admissionWindowMs: 1_000,
  admissionMaxEventLoopDelayMs: 250,
  /**
   * Callers whose demand admission counts per window (src/http/admission/caller-demand.ts): the
   * memory of a crowd of addresses is bounded; the callers past it are counted together, as one.
   */
  admissionMaxCallersCounted: 10_000,
  /**
   * Refused when heap used passes this share of V8's heap limit, or RSS this share of the memory
   * the process may use (its container's limit, else the machine's).
   */
  admissionMaxHeapShare: 0.9,
  admissionMaxRssShare: 0.85,
  /**
   * The cap on runs in flight, unless `MAX_CONCURRENT_RUNS` sets one: this share of the memory a
   * process may hold (the smaller of V8's heap limit and the memory the process may use), at
   * `admissionBytesPerRun` each. Measured with `npm run bench:latency` (BENCHMARKS.md): with the
   * model answering each call after 1.5 s, 300 and 600 clients, tracing at 100%, RSS grew by 0.14
   * to 0.50 MiB per run in flight over five runs (0.50 with a fresh process: 119 MiB idle, 420 MiB
   * at 600), heap used by about 0.3 MiB; 512 KiB is the upper figure. Half of V8's 4 GiB heap thus
   * holds 4,096 runs; a container of 512 MiB at most 512.
   */
  admissionRunMemoryShare: 0.5,
  admissionBytesPerRun: 512 * 1024,
  /** The share of the runs in flight one caller may hold: the rest stays for everyone else. */
  admissionCallerShare: 0.5,
  /**
   * Connections the kernel completes before the process accepts them (Linux caps it at
   * `net.core.somaxconn`, 4096 by default since 5.4). Node's default, 511, overflowed when 5,000
   * clients connected within a second (`npm run bench:latency`): 52,000 handshakes dropped and
   * retried seconds later, 562 connections failed; at 4,096, 7,500 dropped and none failed.
   */
  listenBacklog: 4_096,
  // Requests in flight on one HTTP/1.1 connection: no pipelined request starts behind an unanswered
  // one.
  maxRequestsPerConnection: 1,
  // The largest request body any route takes.
  maxBodyBytes: 64 * 1024,
  // How long a request body may take to arrive once its reading starts, or 408 client_timeout. At
  // most 64 kB: under a second on any link a client of an API uses, and 10 s still lets it arrive
  // at 52 kbit/s (a poor mobile link). A slow body holds a connection, never a run slot, and Node's
  // own requestTimeout (300 s) would let a trickling client hold it five minutes.
  bodyTimeoutMs: 10_000,
  // A comment line on a quiet event stream this often, so that proxies do not close it as idle.
  streamHeartbeatMs: 15_000,
  // What an overloaded answer asks the client to wait, in seconds.
  overloadRetryAfterSeconds: 1,
  /**
   * User feedback (`POST /api/v1/agent/feedback`): the runs it can be sent for are kept in memory,
   * at most this many (oldest forgotten first; about 300 bytes each) for at most this long after
   * the answer; each run takes at most `feedbackPerRun` of them.
   */
  feedbackMaxRuns: 10_000,
  feedbackWindowMs: 60 * 60_000,
  feedbackPerRun: 5,
  /** A feedback's `name` and `label` (low-cardinality words), and its free-text `comment`. */
  feedbackMaxNameLength: 64,
  feedbackMaxCommentLength: 1_000,
  /**
   * A feedback score is from 0 (a thumbs-down) to this (a percentage): the score histogram takes
   * no negative value (OpenTelemetry drops it), and no count of scores this size overflows its sum.
   */
  feedbackMaxScore: 100,
  /**
   * The feedback score histogram keeps this many distinct evaluation names (the first seen); later
   * ones are counted under one fixed name, so callers cannot grow the metric's series without end.
   */
  feedbackMetricMaxNames: 20,
} as const;

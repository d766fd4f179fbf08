/**
 * The architecture, enforced by `npm run lint` (docs/architecture.md, "Layers"). Imports point down:
 *
 *   entry points      src/server.ts, src/subagent/*, src/toolservice/* (the MCP tool service and its tools),
 *                     src/tracing/register.ts, src/emulator/main.ts, src/healthcheck.ts
 *   composition       src/service.ts, src/compose/, src/config.ts
 *   http              src/app.ts, src/http/
 *   agent             src/agent/
 *   tools, models     src/tools/, src/models/ (one folder per provider adapter), src/emulator/ (offline stand-in),
 *                     src/database/ (the PostgreSQL pool and migrations)
 *   tracing           src/tracing/
 *   base              src/limits.ts, src/errors.ts, src/deadline.ts, src/non-blank-text.ts,
 *                     src/json-object.ts, src/oldest-first-map.ts,
 *                     src/variables.ts (every environment variable, in one schema, on env.ts)
 *
 * The tooling in dev/ may use the product; the product never uses dev/ or test/.
 */
/** Unit tests sit beside the code they test and may use test helpers and the emulator. */
const TEST = '\\.test\\.ts$';
const layer = (...paths) => `^src/(${paths.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or replaced alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-not-on-tooling',
      severity: 'error',
      comment: 'src/ is what runs in production: it never imports the tooling or the tests.',
      from: { path: '^src/', pathNot: TEST },
      to: { path: '^(dev|test)/' },
    },
    {
      name: 'base-imports-nothing',
      severity: 'error',
      comment:
        'limits and errors are the bottom layer: everything may import them, they import nothing of ours.',
      from: {
        path: layer(
          'limits\\.ts',
          'errors\\.ts',
          'deadline\\.ts',
          'non-blank-text\\.ts',
          'json-object\\.ts',
          'oldest-first-map\\.ts',
        ),
        pathNot: TEST,
      },
      to: { path: '^src/' },
    },
    {
      name: 'variables-in-the-base',
      severity: 'error',
      comment:
        'The one schema of every variable is read by the preload and the application alike: it stands on the base (limits, env helpers, service defaults) and on nothing that reads it.',
      from: { path: '^src/variables\\.ts$' },
      to: {
        path: '^src/',
        pathNot: layer('env\\.ts', 'limits\\.ts', 'service-defaults\\.ts'),
      },
    },
    {
      name: 'tracing-below-the-application',
      severity: 'error',
      comment:
        'Tracing knows nothing of the agent, tools, HTTP or the application config: they use it, not the other way.',
      from: { path: '^src/tracing/', pathNot: TEST },
      to: {
        path: layer(
          'agent/',
          'tools/',
          'models/',
          'emulator/',
          'http/',
          'app\\.ts',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'tools-stand-alone',
      severity: 'error',
      comment:
        'Tools have their own types: they import neither the agent, nor a model adapter, nor HTTP.',
      from: { path: '^src/tools/', pathNot: TEST },
      to: {
        path: layer(
          'agent/',
          'models/',
          'emulator/',
          'http/',
          'app\\.ts',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'model-adapters-below-the-agent',
      severity: 'error',
      comment:
        'A model adapter implements the model interface; it never reaches up into the loop, the tools or HTTP.',
      from: { path: '^src/models/', pathNot: TEST },
      to: {
        path: layer(
          'agent/',
          'tools/',
          'emulator/',
          'http/',
          'app\\.ts',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'emulator-stand-alone',
      severity: 'error',
      comment:
        'The offline emulator stands in for a remote API: it shares nothing with the agent but the wire.',
      from: { path: '^src/emulator/', pathNot: TEST },
      to: {
        path: layer(
          'agent/',
          'tools/',
          'models/',
          'http/',
          'app\\.ts',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'database-stand-alone',
      severity: 'error',
      comment:
        'The PostgreSQL pool and migrations serve memory and feedback alike: they know neither, nor anything above.',
      from: { path: '^src/database/', pathNot: TEST },
      to: { path: '^src/', pathNot: layer('database/', 'limits\\.ts') },
    },
    {
      name: 'agent-below-http',
      severity: 'error',
      comment:
        'The agent loop does not know it is served over HTTP, nor which model stands in offline (composition decides).',
      from: { path: '^src/agent/', pathNot: TEST },
      to: {
        path: layer(
          'emulator/',
          'http/',
          'app\\.ts',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'http-below-composition',
      severity: 'error',
      comment:
        'Routes get what they need passed in; they do not read the configuration or start services.',
      from: { path: layer('http/', 'app\\.ts'), pathNot: TEST },
      to: {
        path: layer(
          'emulator/',
          'config\\.ts',
          'service\\.ts',
          'compose/',
          'subagent/',
          'server\\.ts',
        ),
      },
    },
    {
      name: 'names-stay-in-tracing',
      severity: 'error',
      comment:
        'Span, attribute, event and metric names are for the recorders in src/tracing/ alone: the code they trace speaks in its own words (`call.turn(...)`, `run.finished(...)`). The evaluations read traces and record their scores on them (dev/evals/trace/, dev/evals/record/): they name what the recorders name, from the same module, so that a rename reaches them. The documentation generator (dev/docs/) writes the span table of docs/spans.md from the module.',
      from: {
        path: '^(src|dev)/',
        pathNot: ['^src/tracing/', '^dev/evals/(trace|record)/', '^dev/docs/', TEST],
      },
      to: { path: '^src/tracing/semconv\\.ts$' },
    },
    {
      name: 'tool-service-apart',
      comment:
        'The MCP tool service is another process: the agent reaches it over MCP only, never by import.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/toolservice/' },
      to: { path: '^src/toolservice/' },
    },
    {
      name: 'entry-points-are-not-imported',
      severity: 'error',
      comment:
        'Importing an entry point starts a server: share what it holds from a module below it instead.',
      from: {},
      to: {
        path: '^src/(server|healthcheck|subagent/server|subagent/register|toolservice/server|toolservice/register|tracing/register|emulator/main)\\.ts$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|dist-dev|node_modules)/' },
  },
};

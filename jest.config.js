/**
 * Packages compiled to CommonJS for Jest, whose module system runs neither `import()` nor
 * `require()` of ES modules without `--experimental-vm-modules`. The OTLP/gRPC exporter (0.301)
 * loads `@grpc/grpc-js` with a dynamic `import()` in its CommonJS build; `puppeteer-core` 25 (for
 * the browser test) and the two packages it loads ship ES modules only, and so do the Kubernetes API
 * schemas the manifests are validated against (`kubernetes-models` 5, its `@kubernetes-models/*`
 * and `is-cidr`). Real processes run them all as published.
 */
const COMPILED_FOR_JEST = [
  '@opentelemetry/otlp-grpc-exporter-base',
  'puppeteer-core',
  '@puppeteer/browsers',
  'chromium-bidi',
  'kubernetes-models',
  '@kubernetes-models/[^/]+',
  'is-cidr',
  'cidr-regex',
].join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  resolver: '<rootDir>/jest.resolver.js',
  roots: ['<rootDir>/src', '<rootDir>/dev', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    [`/node_modules/(${COMPILED_FOR_JEST})/.+\\.c?js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${COMPILED_FOR_JEST})/)`],
  testTimeout: 30000,
};

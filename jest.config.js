/**
 * The OTLP/gRPC exporter (0.301) loads `@grpc/grpc-js` with a dynamic `import()` in its CommonJS
 * build, which Jest's module system refuses without `--experimental-vm-modules`: that one package is
 * compiled for Jest, turning the `import()` into a `require()`. Real processes run it as published.
 */
const GRPC_EXPORTER = '@opentelemetry/otlp-grpc-exporter-base';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/dev', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    [`/${GRPC_EXPORTER}/.+\\.cjs$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${GRPC_EXPORTER}/)`],
  testTimeout: 30000,
};

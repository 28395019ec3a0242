// Two projects: unit specs beside the code, e2e suites under test/. Both compile with SWC
// (decorator metadata on, class names kept: Nest DI and TypeORM read both).
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  // content-disposition 3 (via @fastify/static) ships ESM only; Node 20.19 requires it natively, jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  // Per-test limit for both projects (jest reads it at the top level, not per project).
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};

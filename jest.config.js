// Unit tests live beside the code (src/**/*.spec.ts), the repositories' among them on the real database and
// Redis (*.repository.spec.ts); the unit-test harness's own under test/support; e2e tests under test/.
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(src/.*\\.spec|test/support/.*\\.spec|test/.*\\.e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // @nestjs/cache-manager 12 ships ES modules only. Node 24 loads them through require()
    // (the built app does); Jest's own module loader can only with --experimental-vm-modules,
    // so its files are compiled to CommonJS for the tests instead.
    '/node_modules/@nestjs/cache-manager/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/cache-manager/)'],
  testEnvironment: 'node',
  testTimeout: 60000,
  // Bull's ioredis clients keep retrying a deliberately unreachable Redis for a moment after close().
  forceExit: true,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jose 6 ships ESM only: let ts-jest turn it into CommonJS like our own sources.
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', allowJs: true, isolatedModules: true, types: ['node', 'jest'] } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Examples import the package by name, as users do; tests run them against the sources.
  moduleNameMapper: {
    '^authkit-express$': '<rootDir>/lib/index.ts',
    '^authkit-express/testing$': '<rootDir>/lib/testing/index.ts',
    '^authkit-express/koa$': '<rootDir>/lib/koa/index.ts',
  },
  testTimeout: 20000,
};

export default config;

import type { Config } from 'jest';

/**
 * CI runs the same suite against each Express major and each @workos-inc/node major we support,
 * swapping the package under the tests' (and the library's) imports for an aliased install.
 */
const expressMajor = process.env.AUTHKIT_TEST_EXPRESS;
const sdkMajor = process.env.AUTHKIT_TEST_WORKOS_SDK;
const swaps: Record<string, string> = {
  ...(expressMajor && expressMajor !== '5' ? { '^express$': `express${expressMajor}` } : {}),
  ...(sdkMajor && sdkMajor !== '11' ? { '^@workos-inc/node$': `workos-node-${sdkMajor}` } : {}),
};

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jose 6 ships ESM only: let ts-jest turn it into CommonJS like our own sources.
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      { tsconfig: { module: 'commonjs', moduleResolution: 'node10', allowJs: true, isolatedModules: true, types: ['node', 'jest'] } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Examples import the package by name, as users do; tests run them against the sources.
  moduleNameMapper: {
    ...swaps,
    '^authkit-express$': '<rootDir>/lib/index.ts',
    '^authkit-express/testing$': '<rootDir>/lib/testing/index.ts',
    '^authkit-express/koa$': '<rootDir>/lib/koa/index.ts',
    '^authkit-express/redis$': '<rootDir>/lib/redis/index.ts',
    '^authkit-express/express$': '<rootDir>/lib/express.ts',
  },
  testTimeout: 20000,
};

// CommonJS, as the package is: Node 22.18+ and 24 load this file natively (type stripping), and an
// ESM `export` here made them warn "Failed to load the ES module" before Jest fell back.
module.exports = config;

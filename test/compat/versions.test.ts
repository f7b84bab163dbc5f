import express from 'express';
import { WorkOS } from '@workos-inc/node';

/**
 * CI runs the whole suite once per Express major and @workos-inc/node major (AUTHKIT_TEST_EXPRESS,
 * AUTHKIT_TEST_WORKOS_SDK, see jest.config.ts). This proves each run really used the package
 * it claims, so a green matrix cannot come from the default install every time.
 */
it('runs against the Express major CI asked for', () => {
  const major = process.env.AUTHKIT_TEST_EXPRESS ?? '5';
  // `express.query` exists in Express 4 and was removed in 5.
  expect(typeof (express as unknown as { query?: unknown }).query).toBe(major === '4' ? 'function' : 'undefined');
});

it('runs against the @workos-inc/node major CI asked for', () => {
  const major = process.env.AUTHKIT_TEST_WORKOS_SDK ?? '11';
  expect(new WorkOS('sk_test_version_probe').version.split('.')[0]).toBe(major);
});

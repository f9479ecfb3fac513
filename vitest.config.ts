import { configDefaults, defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/support/long-files-first.js';

/**
 * Two projects: `unit` (test/unit: pure code, no database, no Java; `npm run test:unit`) and `integration`
 * (everything else, against one DynamoDB Local the global setup starts). `npm test` runs both.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on a 2-core machine (vitest's default leaves one core idle): most integration and e2e
    // files spend their time waiting on DynamoDB Local, a runtime process or an outage, not on the CPU.
    maxWorkers: 2,
    // the long end-to-end and browser files first, so the short ones fill in around them
    sequence: { sequencer: LongFilesFirst },
    // the AWS SDK's Node 22 notice would repeat in every worker; the README covers supported versions
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});

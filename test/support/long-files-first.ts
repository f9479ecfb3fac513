import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the long end-to-end and browser files first (each one or two minutes: runtimes killed, DynamoDB stopped, the
 * quick bench, Chromium), then the rest as vitest orders them. On a fresh clone vitest knows no durations and starts
 * the largest files first, so the longest ones came last and ran side by side at the end with nothing to fill the
 * other worker; started first, the short files fill in around them.
 */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (file: TestSpecification) => /[\\/]test[\\/](e2e|browser)[\\/]/.test(file.moduleId);
    return [...sorted.filter(long), ...sorted.filter((file) => !long(file))];
  }
}

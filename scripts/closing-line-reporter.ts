import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export interface ClosingCounts {
  passed: number;
  failed: number;
  skipped: number;
}

// A module that throws while loading has no test cases, and an error raised
// outside any test fails the run too; each counts as one failure so the line
// never reads "0 failed" for a run that failed.
export function countTestCases(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
): ClosingCounts {
  const counts: ClosingCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const testModule of testModules) {
    for (const testCase of testModule.children.allTests()) {
      const state = testCase.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') counts.failed += 1;
      else if (state === 'skipped') counts.skipped += 1;
    }
    if (testModule.errors().length > 0) counts.failed += 1;
  }
  counts.failed += unhandledErrors.length;
  return counts;
}

export function closingLine(counts: ClosingCounts): string {
  return `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

// Listed after 'default' so its line follows the default summary: CI reads the
// last line of the run to learn what was tested.
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    process.stdout.write(`${closingLine(countTestCases(testModules, unhandledErrors))}\n`);
  }
}

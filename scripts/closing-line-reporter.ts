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

declare module 'vitest' {
  interface TaskMeta {
    /** A figure the test measured, such as how many checks it made; printed above the closing line. */
    figure?: string;
  }
}

/** The figures tests left in their metadata, in the order the tests ran. */
export function figuresOf(testModules: ReadonlyArray<TestModule>): string[] {
  return testModules.flatMap((testModule) =>
    [...testModule.children.allTests()].flatMap((testCase) => {
      const { figure } = testCase.meta();
      return figure ? [figure] : [];
    }),
  );
}

export function closingLine(counts: ClosingCounts): string {
  return `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

// Listed after 'default' so its lines follow the default summary: CI reads the
// last line of the run to learn what was tested, and the figures stay in view just above it.
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    for (const figure of figuresOf(testModules)) process.stdout.write(`${figure}\n`);
    process.stdout.write(`${closingLine(countTestCases(testModules, unhandledErrors))}\n`);
  }
}

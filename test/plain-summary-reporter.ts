// Vitest reporter that ends the run with the plain line "N passed, N failed, N skipped", counted exactly
// as vitest's own "Tests" line counts, and says apart how many test files failed outside any test.
import type { Reporter, TestModule } from 'vitest/node';

interface RawTask {
  type: string;
  mode?: string;
  fails?: boolean;
  result?: { state?: string };
  tasks?: RawTask[];
}

export interface PlainCounts { passed: number; failed: number; skipped: number; todo: number; expectedFail: number; filesFailed: number }

function testsOf(task: RawTask, into: RawTask[] = []): RawTask[] {
  if (task.type === 'test') into.push(task);
  for (const t of task.tasks ?? []) testsOf(t, into);
  return into;
}

/** The same rules as vitest's summary (utils getStateString): by result state, and by mode for skip/todo. */
export function countTests(modules: ReadonlyArray<TestModule>): PlainCounts {
  const c: PlainCounts = { passed: 0, failed: 0, skipped: 0, todo: 0, expectedFail: 0, filesFailed: 0 };
  for (const m of modules) {
    const raw = (m as unknown as { task: RawTask }).task;
    for (const t of testsOf(raw)) {
      if (t.result?.state === 'pass' && t.fails) c.expectedFail++;
      else if (t.result?.state === 'pass') c.passed++;
      if (t.result?.state === 'fail') c.failed++;
      if (t.mode === 'skip') c.skipped++;
      if (t.mode === 'todo') c.todo++;
    }
    if (m.state() === 'failed') c.filesFailed++;
  }
  return c;
}

export function plainLines(c: PlainCounts, unhandledErrors = 0): string {
  let line = `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
  if (c.todo) line += `, ${c.todo} todo`;
  if (c.expectedFail) line += `, ${c.expectedFail} expected fail`;
  const extra: string[] = [];
  if (c.filesFailed) extra.push(`${c.filesFailed} test file${c.filesFailed > 1 ? 's' : ''} failed (see "Test Files" above)`);
  if (unhandledErrors) extra.push(`${unhandledErrors} unhandled error${unhandledErrors > 1 ? 's' : ''} (see "Errors" above)`);
  return `\n${line}\n${extra.map((e) => e + '\n').join('')}`;
}

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    process.stdout.write(plainLines(countTests(modules), unhandledErrors.length));
  }
}

import { relative } from 'node:path';
import type { TestCollection, TestModule } from 'vitest/node';
import type { MissingReference } from './reference.ts';

/** A skipped suite (counted once, with its tests) or a skipped test. */
export interface SkippedTask {
  readonly file: string;
  readonly name: string;
  readonly tests: number;
  /** Set when it was skipped for want of a reference tool. */
  readonly reference: MissingReference | undefined;
}

/** A test that failed because its reference is missing (where references are required). */
export interface MissingReferenceFailure {
  readonly file: string;
  readonly name: string;
  readonly reference: MissingReference;
}

/** The tests of one vitest run: how many ran, failed and were skipped, and what was skipped. */
export interface RunSummary {
  readonly run: number;
  readonly failed: number;
  readonly skipped: number;
  readonly skips: readonly SkippedTask[];
  readonly missing: readonly MissingReferenceFailure[];
}

/** Other skipped tasks listed before the rest is only counted. */
const OTHER_SKIPS_LISTED = 40;

export function summariseRun(modules: readonly TestModule[], root: string): RunSummary {
  const counts = { run: 0, failed: 0, skipped: 0 };
  const skips: SkippedTask[] = [];
  const missing: MissingReferenceFailure[] = [];

  const visit = (file: string, children: TestCollection) => {
    for (const child of children) {
      const reference = child.meta().missingReference;
      if (child.type === 'suite') {
        const tests = [...child.children.allTests()];
        const gatedInside = tests.some((test) => test.meta().missingReference !== undefined);
        if (child.state() === 'skipped' && (reference !== undefined || !gatedInside)) {
          counts.skipped += tests.length;
          skips.push({ file, name: child.fullName, tests: tests.length, reference });
          continue;
        }
        visit(file, child.children);
        continue;
      }
      const { state } = child.result();
      if (state === 'passed' || state === 'failed') {
        counts.run += 1;
        if (state === 'failed') counts.failed += 1;
        if (state === 'failed' && reference !== undefined) {
          missing.push({ file, name: child.fullName, reference });
        }
      } else if (state === 'skipped') {
        counts.skipped += 1;
        skips.push({ file, name: child.fullName, tests: 1, reference });
      }
    }
  };

  for (const module of modules) visit(relative(root, module.moduleId), module.children);
  return { ...counts, skips, missing };
}

/** The lines printed at the end of a run; the last one is `tests: <project> N run, M skipped`. */
export function formatRunSummary(project: string, summary: RunSummary): string {
  const lines: string[] = [];
  const forReference = summary.skips.filter((skip) => skip.reference !== undefined);
  const other = summary.skips.filter((skip) => skip.reference === undefined);
  const where = (task: { file: string; name: string }) => `${task.file} > ${task.name}`;
  const tests = (count: number) => `${count} ${count === 1 ? 'test' : 'tests'}`;

  if (forReference.length > 0) {
    lines.push(
      '',
      'Skipped for want of a reference (CI or LEVITATE_REQUIRE_REFERENCE=1 makes these fail):',
      ...forReference.map(
        (skip) =>
          `  ${where(skip)} (${tests(skip.tests)}): needs ${skip.reference?.needs}; ${skip.reference?.hint}`,
      ),
    );
  }
  if (summary.missing.length > 0) {
    lines.push(
      '',
      'Failed for want of a reference:',
      ...summary.missing.map((failure) => `  ${where(failure)}: ${failure.reference.hint}`),
    );
  }
  if (other.length > 0) {
    const listed = other.slice(0, OTHER_SKIPS_LISTED);
    lines.push(
      '',
      'Skipped:',
      ...listed.map(
        (skip) => `  ${where(skip)}${skip.tests === 1 ? '' : ` (${tests(skip.tests)})`}`,
      ),
      ...(other.length > listed.length ? [`  and ${other.length - listed.length} more`] : []),
    );
  }
  const failed = summary.failed > 0 ? `, ${summary.failed} failed` : '';
  const referenceSkips = forReference.reduce((sum, skip) => sum + skip.tests, 0);
  const becauseOfReferences =
    referenceSkips > 0 ? ` (${referenceSkips} for want of a reference)` : '';
  lines.push(
    '',
    `tests: ${project} ${summary.run} run${failed}, ${summary.skipped} skipped${becauseOfReferences}`,
  );
  return `${lines.join('\n')}\n`;
}

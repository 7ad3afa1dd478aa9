import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { formatRunSummary, summariseRun } from './run-summary.ts';

export interface RunSummaryOptions {
  /** Added after the project in the counts line, to tell runs of one project apart: `e2e`. */
  readonly kind?: string;
}

/**
 * Prints, after the run, what was skipped (suites missing their reference tool apart, with what
 * they need) and one line of counts, `tests: <project> N run, M skipped`, where the project is
 * the folder vitest was given with `--dir`. `.ci/run` collects these lines.
 */
export default class RunSummaryReporter implements Reporter {
  private root = process.cwd();
  private project = '.';

  constructor(private readonly options: RunSummaryOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    const project = relative(this.root, vitest.config.dir || this.root) || '.';
    this.project = this.options.kind === undefined ? project : `${project} ${this.options.kind}`;
  }

  onTestRunEnd(testModules: readonly TestModule[]): void {
    process.stdout.write(formatRunSummary(this.project, summariseRun(testModules, this.root)));
  }
}

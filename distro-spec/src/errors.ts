import type { SpecProblem } from './source.ts';

/** Every problem found in a variant's files, reported together. */
export class SpecError extends Error {
  readonly code = 'spec-invalid';
  readonly hint: string;
  readonly problems: readonly SpecProblem[];

  constructor(variant: string, problems: readonly SpecProblem[], hint?: string) {
    problems = [...problems].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
    );
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map(
      (problem) =>
        `  ${problem.file}:${problem.line}:${problem.col}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
    );
    super(`variant "${variant}" is invalid (${count}):\n${lines.join('\n')}`);
    this.name = 'SpecError';
    this.problems = problems;
    this.hint =
      hint ?? 'fix the listed fields; distro-spec/schema/variant.schema.json describes every field';
  }
}

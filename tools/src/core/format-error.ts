import { InternalError, ToolError, UserError, describeThrown } from './errors.ts';

const BUG_NOTE = 'this is a bug in the tools; please report it (rerun with --debug for details)';

/** The text the CLI prints, once, for an error that ended the run. */
export function formatError(err: unknown, options?: { debug?: boolean }): string {
  const debug = options?.debug ?? false;
  const lines: string[] = [];
  if (err instanceof InternalError) {
    lines.push(`error: internal error: ${err.message}`, `note: ${BUG_NOTE}`);
  } else if (err instanceof UserError || err instanceof ToolError) {
    lines.push(`error: ${err.message}`);
    if (err instanceof UserError && err.hint !== undefined) {
      lines.push(`hint: ${err.hint}`);
    }
  } else if (err instanceof Error) {
    lines.push(`error: unexpected ${err.name}: ${err.message}`, `note: ${BUG_NOTE}`);
  } else {
    lines.push(`error: unexpected non-error value thrown: ${describeThrown(err)}`);
    lines.push(`note: ${BUG_NOTE}`);
  }
  if (debug) {
    lines.push(...debugDetails(err));
  }
  return lines.join('\n');
}

function debugDetails(err: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>([err]);
  let innermost: unknown = err;
  let current: unknown = err instanceof Error ? err.cause : undefined;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    innermost = current;
    const text = current instanceof Error ? current.message : describeThrown(current);
    lines.push(`caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  const origin = innermost instanceof Error ? innermost : err instanceof Error ? err : undefined;
  if (origin?.stack !== undefined) {
    lines.push('stack:', ...origin.stack.split('\n').map((line) => `  ${line}`));
  }
  return lines;
}

/** The process exit status for an error: 2 for user errors, 3 for tool failures, 70 otherwise. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UserError) {
    return 2;
  }
  if (err instanceof ToolError) {
    return 3;
  }
  return 70;
}

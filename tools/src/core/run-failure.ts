import { stat } from 'node:fs/promises';

/** The last `count` non-empty-trailing lines of `text`. */
export function tailLines(text: string, count: number): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') {
    return '';
  }
  return lines.slice(-count).join('\n');
}

interface SpawnFailure {
  code?: string | undefined;
  originalMessage?: string | undefined;
  shortMessage?: string | undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Explains why a command could not be started at all (it has no exit code and no signal),
 * in the words a user needs: usually that the command is not installed.
 */
export async function describeSpawnFailure(
  failure: SpawnFailure,
  command: string,
  cwd: string | undefined,
  stderrTail: string,
): Promise<string> {
  if (cwd !== undefined && !(await isDirectory(cwd))) {
    return `working directory ${cwd} does not exist or is not a directory`;
  }
  if (failure.code === 'ENOENT') {
    return command.includes('/')
      ? `${command}: no such file`
      : `${command}: command not found on PATH`;
  }
  if (failure.code === 'EACCES') {
    return `${command}: permission denied (not executable?)`;
  }
  if (stderrTail !== '') {
    return stderrTail;
  }
  const reason = failure.originalMessage ?? failure.shortMessage ?? 'unknown reason';
  return `${command}: could not be started: ${reason}`;
}

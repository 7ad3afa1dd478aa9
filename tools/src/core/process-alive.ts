/**
 * True unless `pid` certainly names no running process on this host. A process of another user
 * answers EPERM and counts as running, so its files are never taken for leftovers.
 */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const BAR_WIDTH = 10;

/** Human-readable duration: `1.2 s`, `3 min 04 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 59.95) {
    return `${seconds.toFixed(1)} s`;
  }
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** A progress bar such as `[#####-----] 50% label`. */
export function renderBar(current: number, total: number, label: string | undefined): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, current / total)) : 0;
  const filled = Math.floor(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`;
  return label === undefined || label === '' ? `${bar} ${percent}` : `${bar} ${percent} ${label}`;
}

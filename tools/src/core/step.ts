/**
 * Progress reporting for long builds. A {@link Reporter} is passed down explicitly; each
 * `step` hands its callback a child reporter whose messages carry the step's path
 * (`build › rootfs › dnf`).
 *
 * Output modes:
 * - `plain`: one line per event, for logs and CI.
 * - `tty`: as plain, plus a progress bar redrawn in place on a terminal.
 * - `json`: one {@link StepEvent} per line and nothing else, for machines.
 */

import { describeThrown } from './errors.ts';
import { formatDuration, renderBar } from './step-format.ts';

export { formatDuration };

export type ReporterMode = 'tty' | 'plain' | 'json';

export interface StepEvent {
  type: 'step-start' | 'step-end' | 'step-fail' | 'progress' | 'log';
  path: readonly string[];
  /** Milliseconds since the epoch, from the reporter's clock. */
  time: number;
  durationMs?: number;
  level?: 'info' | 'warn' | 'debug';
  message?: string;
  current?: number;
  total?: number;
  error?: string;
}

export interface Reporter {
  step<T>(title: string, fn: (reporter: Reporter) => Promise<T>): Promise<T>;
  progress(current: number, total: number, label?: string): void;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface ReporterOptions {
  mode: ReporterMode;
  /** Defaults to stderr. */
  stream?: NodeJS.WritableStream;
  /** Show `debug` messages. */
  debug?: boolean;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  clock?: () => number;
}

const PATH_SEPARATOR = ' › ';
const INDENT = '    ';

/** State shared by a reporter and all of its children. */
interface Sink {
  mode: ReporterMode;
  stream: NodeJS.WritableStream;
  debug: boolean;
  clock: () => number;
  stepsStarted: number;
  /** The progress line currently drawn on the terminal, if any. */
  bar: string | undefined;
  lastProgress: string | undefined;
}

/** `json` if asked for, `tty` when the stream is a terminal, `plain` otherwise. */
export function detectReporterMode(options: {
  json?: boolean;
  stream?: NodeJS.WriteStream;
}): ReporterMode {
  if (options.json === true) {
    return 'json';
  }
  return (options.stream ?? process.stderr).isTTY === true ? 'tty' : 'plain';
}

export function createReporter(options: ReporterOptions): Reporter {
  const sink: Sink = {
    mode: options.mode,
    stream: options.stream ?? process.stderr,
    debug: options.debug ?? false,
    clock: options.clock ?? Date.now,
    stepsStarted: 0,
    bar: undefined,
    lastProgress: undefined,
  };
  return childReporter(sink, []);
}

function clearBar(sink: Sink): void {
  if (sink.bar !== undefined) {
    sink.stream.write('\r\x1b[K');
    sink.bar = undefined;
    sink.lastProgress = undefined;
  }
}

function writeLine(sink: Sink, line: string): void {
  clearBar(sink);
  sink.stream.write(`${line}\n`);
}

function emit(sink: Sink, event: StepEvent): void {
  sink.stream.write(`${JSON.stringify(event)}\n`);
}

function fitToTerminal(sink: Sink, line: string): string {
  const columns = (sink.stream as { columns?: unknown }).columns;
  const width = typeof columns === 'number' && columns > 1 ? columns - 1 : 79;
  return line.length > width ? line.slice(0, width) : line;
}

function childReporter(sink: Sink, path: readonly string[]): Reporter {
  const indent = path.length === 0 ? '' : INDENT;

  function log(level: 'info' | 'warn' | 'debug', message: string): void {
    if (level === 'debug' && !sink.debug) {
      return;
    }
    if (sink.mode === 'json') {
      emit(sink, { type: 'log', path, time: sink.clock(), level, message });
      return;
    }
    const prefix = level === 'info' ? '' : `${level === 'warn' ? 'warning' : 'debug'}: `;
    for (const line of message.split('\n')) {
      writeLine(sink, `${indent}${prefix}${line}`);
    }
  }

  return {
    async step<T>(title: string, fn: (reporter: Reporter) => Promise<T>): Promise<T> {
      const stepPath = Object.freeze([...path, title]);
      const start = sink.clock();
      sink.stepsStarted += 1;
      const startedAs = sink.stepsStarted;
      if (sink.mode === 'json') {
        emit(sink, { type: 'step-start', path: stepPath, time: start });
      } else {
        writeLine(sink, `==> ${stepPath.join(PATH_SEPARATOR)}`);
      }
      const finish = (outcome: string): void => {
        const interleaved = sink.stepsStarted !== startedAs;
        const which = interleaved ? ` (${stepPath.join(PATH_SEPARATOR)})` : '';
        writeLine(sink, `${INDENT}${outcome}${which}`);
      };
      let value: T;
      try {
        value = await fn(childReporter(sink, stepPath));
      } catch (err) {
        const end = sink.clock();
        const durationMs = end - start;
        if (sink.mode === 'json') {
          const error = err instanceof Error ? err.message : describeThrown(err);
          emit(sink, { type: 'step-fail', path: stepPath, time: end, durationMs, error });
        } else {
          finish(`FAILED after ${formatDuration(durationMs)}`);
        }
        throw err;
      }
      const end = sink.clock();
      const durationMs = end - start;
      if (sink.mode === 'json') {
        emit(sink, { type: 'step-end', path: stepPath, time: end, durationMs });
      } else {
        finish(`done in ${formatDuration(durationMs)}`);
      }
      return value;
    },

    progress(current: number, total: number, label?: string): void {
      if (sink.mode === 'plain') {
        return;
      }
      const rendered = renderBar(current, total, label);
      const key = `${path.join(PATH_SEPARATOR)}\n${rendered}`;
      if (key === sink.lastProgress) {
        return;
      }
      sink.lastProgress = key;
      if (sink.mode === 'json') {
        const event: StepEvent = { type: 'progress', path, time: sink.clock(), current, total };
        if (label !== undefined) {
          event.message = label;
        }
        emit(sink, event);
        return;
      }
      const line = fitToTerminal(sink, rendered);
      sink.stream.write(`\r${line}\x1b[K`);
      sink.bar = line;
    },

    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    debug: (message) => log('debug', message),
  };
}

import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { WriteStream } from 'node:tty';
import { createReporter, detectReporterMode, formatDuration } from './step.ts';
import type { ReporterMode, StepEvent } from './step.ts';

function memoryStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** A clock that advances by the given steps (ms) each time it is read. */
function steppingClock(start: number, steps: readonly number[]): () => number {
  let now = start;
  let index = 0;
  return () => {
    const value = now;
    now += steps[index % steps.length] ?? 0;
    index += 1;
    return value;
  };
}

function setup(mode: ReporterMode, debug = false) {
  const { stream, text } = memoryStream();
  const reporter = createReporter({ mode, stream, debug, clock: steppingClock(1000, [100]) });
  return { reporter, text };
}

describe('plain reporter', () => {
  it('prints nested step headers with durations', async () => {
    const { reporter, text } = setup('plain');
    const value = await reporter.step('build', async (build) => {
      build.info('starting');
      return build.step('rootfs', async (rootfs) => {
        rootfs.progress(1, 2, 'ignored in plain mode');
        return 7;
      });
    });
    expect(value).toBe(7);
    expect(text()).toBe(
      [
        '==> build',
        '    starting',
        '==> build › rootfs',
        '    done in 0.1 s',
        '    done in 0.3 s (build)',
        '',
      ].join('\n'),
    );
  });

  it('reports failure with duration and rethrows', async () => {
    const { reporter, text } = setup('plain');
    const boom = new Error('boom');
    await expect(
      reporter.step('iso', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(text()).toBe('==> iso\n    FAILED after 0.1 s\n');
  });

  it('suppresses debug unless enabled and labels warnings', async () => {
    const quiet = setup('plain');
    quiet.reporter.debug('hidden');
    quiet.reporter.warn('careful');
    expect(quiet.text()).toBe('warning: careful\n');
    const loud = setup('plain', true);
    loud.reporter.debug('shown');
    expect(loud.text()).toBe('debug: shown\n');
  });
});

describe('tty reporter', () => {
  it('draws a progress bar in place and clears it before the next line', async () => {
    const { reporter, text } = setup('tty');
    await reporter.step('copy', async (copy) => {
      copy.progress(5, 10, 'files');
      copy.progress(5, 10, 'files');
      copy.progress(10, 10);
    });
    expect(text()).toBe(
      '==> copy\n' +
        '\r[#####-----] 50% files\x1b[K' +
        '\r[##########] 100%\x1b[K' +
        '\r\x1b[K    done in 0.1 s\n',
    );
  });
});

describe('json reporter', () => {
  it('writes one parseable event per line and nothing else', async () => {
    const { reporter, text } = setup('json');
    await expect(
      reporter.step('build', async (build) => {
        build.info('hello');
        build.debug('not shown');
        build.progress(1, 4, 'packages');
        await build.step('rootfs', async () => undefined);
        await build.step('iso', async () => {
          throw new Error('xorriso broke');
        });
      }),
    ).rejects.toThrow('xorriso broke');
    const events = text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as StepEvent);
    expect(events).toEqual([
      { type: 'step-start', path: ['build'], time: 1000 },
      { type: 'log', path: ['build'], time: 1100, level: 'info', message: 'hello' },
      {
        type: 'progress',
        path: ['build'],
        time: 1200,
        current: 1,
        total: 4,
        message: 'packages',
      },
      { type: 'step-start', path: ['build', 'rootfs'], time: 1300 },
      { type: 'step-end', path: ['build', 'rootfs'], time: 1400, durationMs: 100 },
      { type: 'step-start', path: ['build', 'iso'], time: 1500 },
      {
        type: 'step-fail',
        path: ['build', 'iso'],
        time: 1600,
        durationMs: 100,
        error: 'xorriso broke',
      },
      { type: 'step-fail', path: ['build'], time: 1700, durationMs: 700, error: 'xorriso broke' },
    ]);
  });

  it('includes debug logs when enabled', () => {
    const { reporter, text } = setup('json', true);
    reporter.debug('details');
    expect(JSON.parse(text())).toEqual({
      type: 'log',
      path: [],
      time: 1000,
      level: 'debug',
      message: 'details',
    });
  });
});

describe('detectReporterMode', () => {
  const tty = { isTTY: true } as WriteStream;
  const pipe = { isTTY: false } as WriteStream;

  it('prefers json, then tty, then plain', () => {
    expect(detectReporterMode({ json: true, stream: tty })).toBe('json');
    expect(detectReporterMode({ stream: tty })).toBe('tty');
    expect(detectReporterMode({ stream: pipe })).toBe('plain');
  });
});

describe('formatDuration', () => {
  it('formats seconds and minutes', () => {
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(59_990)).toBe('1 min 00 s');
    expect(formatDuration(184_400)).toBe('3 min 04 s');
  });
});

import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

describe('limiter', () => {
  it('runs at most the limit at once, in order, and drops aborted waiters', async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (id: number) => async (): Promise<number> => {
      started.push(id);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return id;
    };
    const controller = new AbortController();
    const aborted = limiter.run(task(99), controller.signal);
    const first = limiter.run(task(1));
    const others = [2, 3, 4].map((id) => limiter.run(task(id)));
    controller.abort(new Error('not wanted'));
    await expect(aborted).resolves.toBe(99);
    const skipped = limiter.run(task(98), AbortSignal.abort(new Error('gone')));
    await expect(skipped).rejects.toThrow('gone');
    expect(await Promise.all([first, ...others])).toEqual([1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(started).toEqual([99, 1, 2, 3, 4]);
  });

  it('rejects a waiter whose signal is aborted before its turn', async () => {
    const limiter = createLimiter(1);
    let release = (): void => undefined;
    const holding = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'ran', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    release();
    await holding;
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});

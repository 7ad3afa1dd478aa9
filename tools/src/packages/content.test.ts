import { describe, expect, it } from 'vitest';
import { InternalError } from '../core/errors.ts';
import { ContentStream, contentBytes, settleContent } from './content.ts';
import type { ContentCheck } from './content.ts';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

/** A check that wants the content to be `expected`; `seen` records what it was shown. */
function wants(expected: string, seen: string[] = []): ContentCheck {
  return {
    update: (chunk) => seen.push(Buffer.from(chunk).toString()),
    finish: () => {
      if (seen.join('') !== expected) throw new Error(`not ${expected}`);
    },
  };
}

const text = async (stream: ContentStream) => Buffer.from(await contentBytes(stream)).toString();

describe('ContentStream', () => {
  it('hands the chunks over as they come, and ends when the check passes', async () => {
    const seen: string[] = [];
    const stream = new ContentStream(chunks('ab', 'cd'), wants('abcd', seen));
    expect(await text(stream)).toBe('abcd');
    expect(seen).toEqual(['ab', 'cd']);
    await stream.settle();
  });

  it('throws after the last chunk when the check fails, and again when settled', async () => {
    const stream = new ContentStream(chunks('ab', 'cX'), wants('abcd'));
    const got: string[] = [];
    const read = async () => {
      for await (const chunk of stream) got.push(Buffer.from(chunk).toString());
    };
    await expect(read()).rejects.toThrow('not abcd');
    expect(got).toEqual(['ab', 'cX']);
    await expect(stream.settle()).rejects.toThrow('not abcd');
  });

  it('checks what nobody read when settled', async () => {
    await expect(new ContentStream(chunks('x'), wants('y')).settle()).rejects.toThrow('not y');
    const half = new ContentStream(chunks('a', 'b'), wants('ab'));
    for await (const chunk of half) {
      expect(Buffer.from(chunk).toString()).toBe('a');
      break;
    }
    await half.settle();
    await settleContent(new Uint8Array(3));
  });

  it('can be read once, and not after it was settled', async () => {
    const twice = new ContentStream(chunks('a'));
    await text(twice);
    await expect(text(twice)).rejects.toThrow(/read twice/);
    const late = new ContentStream(chunks('a'));
    await late.settle();
    await expect(text(late)).rejects.toThrow(InternalError);
    await expect(text(late)).rejects.toThrow(/after the next entry/);
  });
});

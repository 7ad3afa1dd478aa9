/**
 * A scratch folder of packages built by the tests, and a helper that streams one and
 * summarises what came out. Only tests use this module.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentBytes } from '../packages/content.ts';
import { streamRpmEntries, type StreamRpmOptions } from './stream.ts';
import { buildRpm, packageTags, type TagSpec, type TestFile } from './test-builder.ts';

export interface ExtractOptions {
  readonly extra?: readonly TagSpec[];
  readonly signature?: readonly TagSpec[];
  readonly stream?: StreamRpmOptions;
}

export class ScratchPackages {
  #dir = '';
  #counter = 0;

  async open(prefix: string): Promise<void> {
    this.#dir = await mkdtemp(join(tmpdir(), prefix));
  }

  async close(): Promise<void> {
    if (this.#dir !== '') await rm(this.#dir, { recursive: true, force: true });
  }

  /** Writes a package and returns its path. */
  async write(bytes: Uint8Array): Promise<string> {
    this.#counter += 1;
    const file = join(this.#dir, `case-${this.#counter}.rpm`);
    await writeFile(file, bytes);
    return file;
  }

  /** Builds package `test-1.0-1.noarch` with these files and payload, and streams it. */
  async extract(
    files: readonly TestFile[],
    payload: Uint8Array,
    options: ExtractOptions = {},
  ): Promise<{ file: string; items: [string, string | undefined][] }> {
    const header = packageTags(files, options.extra ?? []);
    const signature = options.signature === undefined ? {} : { signature: options.signature };
    const file = await this.write(buildRpm({ header, payload, ...signature }));
    const items: [string, string | undefined][] = [];
    for await (const { entry, content } of streamRpmEntries(file, options.stream ?? {})) {
      const text =
        content === undefined ? undefined : Buffer.from(await contentBytes(content)).toString();
      items.push([`${entry.type} ${entry.path}`, text]);
    }
    return { file, items };
  }

  /** Like {@link extract}, for a package that must be refused: the error. */
  async failure(
    files: readonly TestFile[],
    payload: Uint8Array,
    options: ExtractOptions = {},
  ): Promise<Error> {
    return this.extract(files, payload, options).then(
      () => new Error('accepted'),
      (error: Error) => error,
    );
  }
}

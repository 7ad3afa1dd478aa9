import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { isMissingFile, localRepoSource } from './index.ts';

const ROOT = fixture('repodata', 'osbuild-custom-nothing-zst');

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

describe('localRepoSource', () => {
  it('opens files under a folder given as a path or a file:// URL', async () => {
    for (const root of [ROOT, pathToFileURL(ROOT).href, pathToFileURL(ROOT)]) {
      const source = localRepoSource(root);
      expect(source.url).toBe(pathToFileURL(ROOT).href);
      expect(await text(await source.open('repodata/repomd.xml'))).toMatch(/^<\?xml/);
    }
  });

  it('reports a missing file as missing at open time', async () => {
    const error = await localRepoSource(ROOT)
      .open('repodata/repomd.xml.asc')
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(isMissingFile(error)).toBe(true);
  });

  it('refuses paths that leave the repository, and remote URLs', async () => {
    const source = localRepoSource(ROOT);
    for (const path of [
      '../osbuild-custom-nothing-zst/repodata/repomd.xml',
      '/etc/passwd',
      'a\\b',
    ]) {
      await expect(source.open(path)).rejects.toThrow(/repository path|leaves the repository root/);
    }
    expect(() => localRepoSource('https://mirror.example/el9/')).toThrow(/only local folders/);
  });
});

import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Runner } from '@levitate/tools';

/** One `<data>` element of repomd.xml, as text, with the file it points at. */
const DATA_BLOCK = /<data type="([^"]+)">[\s\S]*?<\/data>/g;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Re-publishes a repository's gzip metadata as zstd, the way createrepo_c 1.0 (Rocky Linux 10)
 * writes it; Debian's createrepo_c 0.17 cannot. Each `.xml.gz` listed in repomd.xml is
 * recompressed with `zstd` (one thread: the same bytes every time) under its new checksum
 * name, and its `<checksum>`, `<location>` and `<size>` are rewritten; the open checksum and
 * size of the XML inside stay as they are.
 */
export async function recompressRepodataAsZstd(runner: Runner, repoDir: string): Promise<void> {
  const repomdPath = join(repoDir, 'repodata', 'repomd.xml');
  const repomd = await readFile(repomdPath, 'utf8');
  const replacements: [string, string][] = [];
  for (const match of repomd.matchAll(DATA_BLOCK)) {
    const [block, type] = match;
    const href = /<location href="(repodata\/[^"]+\.xml\.gz)"\/>/.exec(block)?.[1];
    if (href === undefined || type === undefined) continue;
    const xmlPath = join(repoDir, `${href.slice(0, -'.gz'.length)}`);
    await writeFile(xmlPath, gunzipSync(await readFile(join(repoDir, href))));
    const zstPath = `${xmlPath}.zst`;
    await runner.run(['zstd', '--quiet', '--force', '-19', '--threads=1', xmlPath, '-o', zstPath]);
    const compressed = await readFile(zstPath);
    const digest = sha256(compressed);
    const location = `repodata/${digest}-${type}.xml.zst`;
    await rename(zstPath, join(repoDir, location));
    await rm(xmlPath);
    await rm(join(repoDir, href));
    const rewritten = block
      .replace(
        /<checksum type="sha256">[0-9a-f]+<\/checksum>/,
        `<checksum type="sha256">${digest}</checksum>`,
      )
      .replace(/<location href="[^"]+"\/>/, `<location href="${location}"/>`)
      .replace(/<size>\d+<\/size>/, `<size>${compressed.length}</size>`);
    replacements.push([block, rewritten]);
  }
  if (replacements.length === 0) {
    throw new Error(`${repomdPath} lists no gzip metadata to recompress`);
  }
  const updated = replacements.reduce((text, [from, to]) => text.replace(from, to), repomd);
  await writeFile(`${repomdPath}.tmp`, updated);
  await rename(`${repomdPath}.tmp`, repomdPath);
}

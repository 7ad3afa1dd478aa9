/**
 * Seeds for the fuzz tests of the repository metadata readers: the XML documents of the
 * fixture repositories, decompressed, and their stored (compressed) files. Only tests use this.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixture } from '../test-support/fixtures.ts';

const REPODATA = fixture('repodata');
const CENTOS = join(REPODATA, 'centos-stream-9-baseos-x86_64', 'repodata');

/** Every metadata file of `kind` in the fixture repositories, decompressed, up to `maxBytes`. */
function metadata(kind: RegExp, maxBytes: number): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (kind.test(entry.name)) {
        const raw = readFileSync(path);
        const text = entry.name.endsWith('.gz')
          ? gunzipSync(raw).toString('utf8')
          : raw.toString('utf8');
        if (text.length <= maxBytes) found.push(text);
      }
    }
  };
  walk(REPODATA);
  return found;
}

/** The first `count` packages of a large document, closed and counted as a complete one. */
function firstPackages(xml: string, count: number, root: string): string {
  let end = 0;
  for (let i = 0; i < count; i++) end = xml.indexOf('</package>', end) + '</package>'.length;
  return `${xml.slice(0, end).replace(/packages="\d+"/, `packages="${count}"`)}\n</${root}>\n`;
}

const centos = (pattern: RegExp) => {
  const name = readdirSync(CENTOS).find((file) => pattern.test(file)) ?? '';
  return gunzipSync(readFileSync(join(CENTOS, name))).toString('utf8');
};

export const REPOMD = metadata(/^repomd\.xml$/, 64 * 1024);
export const PRIMARY = [
  ...metadata(/primary(_snippet_\d+)?\.xml(\.gz)?$/, 64 * 1024),
  firstPackages(centos(/-primary\.xml\.gz$/), 12, 'metadata'),
];
export const FILELISTS = [
  ...metadata(/filelists(_snippet_\d+)?\.xml(\.gz)?$/, 64 * 1024),
  firstPackages(centos(/-filelists\.xml\.gz$/), 8, 'filelists'),
];
export const COMPS = [...metadata(/comps.*\.xml(\.gz)?$/, 256 * 1024)];

/** Stored metadata files of every codec the readers take: gzip, zstd, xz and bzip2. */
export const COMPRESSED: readonly { readonly extension: string; readonly bytes: Uint8Array }[] =
  (() => {
    const found: { extension: string; bytes: Uint8Array }[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : 1,
      )) {
        const path = join(dir, entry.name);
        const extension = /\.(gz|zst|xz|bz2)$/.exec(entry.name)?.[1];
        if (entry.isDirectory()) walk(path);
        else if (extension !== undefined && !entry.name.includes('.zck')) {
          const bytes = new Uint8Array(readFileSync(path));
          if (bytes.length <= 16 * 1024) found.push({ extension, bytes });
        }
      }
    };
    walk(REPODATA);
    return found;
  })();

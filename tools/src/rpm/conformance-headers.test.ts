/**
 * Conformance of the header reader with Debian's rpm 4.18, for every package under the
 * fixtures' rpm/ folder: package fields, dependency lists, scriptlets and triggers, signature
 * descriptions, declared digests, and the file list as `rpm -qp --dump` prints it.
 *
 * rpm 4.18 reads v6 packages too (they keep the v4 layout), except for what it does not know
 * of: the OPENPGP signature tag, the v6 payload digest and size tags, and PREUNTRANS/POSTUNTRANS.
 * Those are checked in verify.test.ts and stream.test.ts against values established otherwise.
 *
 * Differences with rpm, pinned here on purpose (see {@link renderDump}):
 * - sizes: a PackageEntry's size is its content, so symlinks, ghosts, directories and hardlink
 *   members other than the content carrier have size 0; rpm prints FILESIZES (for a symlink,
 *   the length of its target). The dump is rendered from the declared size, and the rule is
 *   checked separately.
 * - paths of source packages: rpm prints them relative (`hello.spec`), entries are absolute.
 * - a file without a digest (directories, symlinks, ghosts) has no `digest`; rpm prints zeros.
 * - rdev: rpm prints FILERDEVS for every file, and old packages (CentOS 3, nfpm, rekor) store
 *   stray values for regular files; an entry has a `device` only when it is a device. The dump
 *   is rendered from the stored FILERDEVS, and the rule is checked separately.
 * - rpm prints "(contains no files)" for a package without files; there are no entries.
 * - rpm 4.18 cannot parse ECDSA signatures and prints "(not an OpenPGP signature)" for the one
 *   in rpm-basic-with-ecdsa; the OpenPGP reader here reads it as an ECDSA/SHA256 signature.
 */

import { relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import { readRpmFiles, type RpmFile } from './files.ts';
import {
  checkHeaderDigests,
  declaredHeaderPayloadMd5,
  declaredHeaderPayloadSize,
} from './signature-digests.ts';
import { readRpmHeaders, type RpmHeaders } from './package-headers.ts';
import { payloadDigestChecks } from './payload.ts';
import {
  DEPENDENCY_QUERIES,
  fields,
  findPackages,
  flagsOf,
  queryReferences,
  records,
  renderPgpsig,
  SCRIPT_QUERIES,
  TRIGGER_QUERIES,
  type RpmReference,
  withRpmDatabase,
} from './rpm-reference.ts';
import { listSignatures } from './signatures.ts';
import { Tag } from './tags.ts';

const root = fixture('rpm');
const packages = findPackages(root).map((file) => [relative(root, file), file] as const);

const TYPE_BITS: Readonly<Record<string, number>> = {
  file: 0o100000,
  hardlink: 0o100000,
  directory: 0o040000,
  symlink: 0o120000,
  'char-device': 0o020000,
  'block-device': 0o060000,
  fifo: 0o010000,
  socket: 0o140000,
};

const ZEROS: Readonly<Record<string, number>> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

/** Our file list rendered the way `rpm -qp --dump` prints it, with the pinned differences. */
function renderDump(headers: RpmHeaders, files: readonly RpmFile[], algorithm: string): string[] {
  if (files.length === 0) return ['(contains no files)'];
  const rdevs = headers.header.numbers(Tag.FILERDEVS) ?? [];
  return files.map(({ entry, declaredSize, index }) => {
    const path = headers.isSource ? entry.path.slice(1) : entry.path;
    const digest = entry.digest?.hex ?? '0'.repeat(ZEROS[algorithm] ?? 32);
    const mode = `0${((TYPE_BITS[entry.type] ?? 0) | entry.mode).toString(8)}`;
    const rdev = rdevs[index] ?? 0;
    if (entry.device !== undefined)
      expect((entry.device.major << 8) | entry.device.minor).toBe(rdev);
    const config = entry.flags.includes('config') ? 1 : 0;
    const doc = entry.flags.includes('doc') ? 1 : 0;
    const target = entry.type === 'symlink' ? (entry.linkTarget ?? '') : 'X';
    return [
      path,
      declaredSize,
      entry.mtime,
      digest,
      mode,
      entry.user,
      entry.group,
      config,
      doc,
      rdev,
      target,
    ].join(' ');
  });
}

function section(reference: RpmReference, tag: string): string {
  const value = reference.sections.get(tag);
  if (value === undefined) throw new Error(`rpm printed no ${tag} section`);
  return value;
}

const none = (value: string): string | undefined => (value === '(none)' ? undefined : value);

let references = new Map<string, RpmReference>();
beforeAll(async () => {
  const files = packages.map(([, file]) => file);
  references = await withRpmDatabase((dbpath) => queryReferences(files, dbpath));
}, 60_000);

function referenceOf(file: string): RpmReference {
  const reference = references.get(file);
  if (reference === undefined) throw new Error(`rpm did not describe ${file}`);
  return reference;
}

describe('headers agree with rpm 4.18', () => {
  it('finds the fixtures', () => {
    expect(packages.length).toBeGreaterThan(100);
  });

  it.each(packages)('%s', async (name, file) => {
    const reference = referenceOf(file);
    const headers = await readRpmHeaders(file);
    const at = (tag: string) => section(reference, tag);

    expect(headers.name).toBe(at('NAME'));
    expect(headers.epoch).toBe(none(at('EPOCH')) === undefined ? undefined : Number(at('EPOCH')));
    expect([headers.version, headers.release, headers.arch]).toEqual([
      at('VERSION'),
      at('RELEASE'),
      at('ARCH'),
    ]);
    expect(headers.nevra).toBe(at('NEVRA'));
    expect(headers.summary).toBe(at('SUMMARY'));
    expect(headers.license).toBe(at('LICENSE'));
    expect(headers.installedSize).toBe(Number(at('LONGSIZE')));
    expect(headers.payload.format).toBe(none(at('PAYLOADFORMAT')) ?? 'cpio');
    expect(headers.payload.compressor).toBe(none(at('PAYLOADCOMPRESSOR')));
    expect(headers.isSource).toBe(at('SOURCERPM') === '(none)');

    const dependencies = headers.dependencies;
    for (const [kind, tag] of Object.entries(DEPENDENCY_QUERIES)) {
      const ours = dependencies[kind as keyof typeof DEPENDENCY_QUERIES].map(formatDependency);
      expect(ours, `${kind}`).toEqual(records(at(tag)));
    }

    const scripts = headers.scripts;
    for (const [phase, bodyTag, programTag] of SCRIPT_QUERIES) {
      const body = none(at(bodyTag));
      const program = at(programTag).split('@@S@@').slice(0, -1);
      const ours = scripts.find((script) => script.phase === phase);
      if (body === undefined && program.length === 0) {
        expect(ours, phase).toBeUndefined();
        continue;
      }
      expect(ours?.body, phase).toBe(body ?? '');
      expect(ours?.interpreter, phase).toBe(program.length === 0 ? undefined : program.join(' '));
    }
    for (const [prefix, tag] of TRIGGER_QUERIES) {
      const expected = records(at(tag)).map((record) => {
        const [type, conditions, program, body] = fields(record);
        return { phase: `${prefix}-${type}`, triggers: conditions, interpreter: program, body };
      });
      const ours = scripts
        .filter((script) => script.phase.startsWith(`${prefix}-`))
        .map((script) => ({
          phase: script.phase,
          triggers: script.triggers?.join(', '),
          interpreter: script.interpreter,
          body: script.body,
        }));
      expect(ours, prefix).toEqual(expected);
    }

    const { files } = readRpmFiles(headers);
    const algorithm =
      files.find((file) => file.entry.digest !== undefined)?.entry.digest?.algorithm ?? 'md5';
    expect(renderDump(headers, files, algorithm)).toEqual(reference.dump);
    const perFile = records(at('FILES')).map(fields);
    expect(perFile.length).toBe(files.length);
    files.forEach((file, index) => {
      const [nlinks, flags, caps] = perFile[index] ?? [];
      const { entry } = file;
      expect(file.linkSet?.length ?? 1, entry.path).toBe(Number(nlinks));
      expect(entry.flags, entry.path).toEqual(flagsOf(Number(flags)));
      expect(entry.capabilities, entry.path).toBe(
        caps === '' || caps === '(none)' ? undefined : caps,
      );
      const hasContent = entry.type === 'file' && !entry.flags.includes('ghost');
      expect(entry.size, entry.path).toBe(hasContent ? file.declaredSize : 0);
      const isDevice = entry.type === 'char-device' || entry.type === 'block-device';
      expect(entry.device !== undefined, entry.path).toBe(isDevice);
    });

    const signatures = listSignatures(headers);
    const byTag = (tag: string) => signatures.find((signature) => signature.tag === tag);
    const ecdsa = name.includes('rpm-basic-with-ecdsa');
    expect(renderPgpsig(byTag('rsa-header'))).toBe(at('RSAHEADER:pgpsig'));
    expect(renderPgpsig(byTag('pgp'))).toBe(at('SIGPGP:pgpsig'));
    expect(renderPgpsig(byTag('gpg'))).toBe(at('SIGGPG:pgpsig'));
    if (ecdsa) {
      expect(at('DSAHEADER:pgpsig')).toBe('(not an OpenPGP signature)');
      expect(renderPgpsig(byTag('dsa-header'))).toMatch(
        /^ECDSA\/SHA256, .*Key ID 105c3db6d139a931$/,
      );
    } else {
      expect(renderPgpsig(byTag('dsa-header'))).toBe(at('DSAHEADER:pgpsig'));
    }

    const digests = checkHeaderDigests(headers);
    const declared = (check: string) => digests.find((digest) => digest.name === check)?.expected;
    expect(declared('header-sha1')).toBe(none(at('SHA1HEADER')));
    expect(declared('header-sha256')).toBe(none(at('SHA256HEADER')));
    for (const digest of digests) expect(digest.ok, digest.name).toBe(true);
    expect(declaredHeaderPayloadMd5(headers)).toBe(none(at('SIGMD5')));
    expect(declaredHeaderPayloadSize(headers)).toBe(
      none(at('SIGSIZE')) === undefined ? undefined : Number(at('SIGSIZE')),
    );
    const payload = payloadDigestChecks(headers);
    const payloadDigest = (check: string) =>
      payload.find((digest) => digest.name === check)?.expected ?? '';
    expect(payloadDigest('payload-sha256')).toBe(at('PAYLOADDIGEST'));
    expect(payloadDigest('payload-sha256-uncompressed')).toBe(at('PAYLOADDIGESTALT'));
  });
});

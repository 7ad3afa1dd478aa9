import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { EXTRACT_COMMANDS } from './recipe-context.ts';
import { makeArchive } from './recipe.support.ts';

const BUSYBOX = alpineChrootReference("busybox's tar and unzip");
const RELEASE = {
  'bin/hello': '#!/bin/sh\necho hello\n',
  'share/doc/README': 'read me\n',
};

// AcornOS unpacks with busybox, whose tar and unzip are not GNU tar and Info-ZIP: the commands
// extract runs are run here by the busybox of Alpine's minirootfs. (.tar.zst goes through zstd,
// which the minirootfs lacks; the install e2e unpacks one on AcornOS.)
describeWithReference(BUSYBOX, "extract's commands under busybox (Alpine chroot)", () => {
  const chroot = useAlpineChroot();
  const dir = mkdtempSync(join(tmpdir(), 'extract-busybox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['tar.gz', 'tar.xz', 'zip'] as const)(
    'unpacks a %s release with its files and modes',
    async (kind) => {
      const archive = makeArchive(dir, `release-${kind.replace('.', '-')}`, RELEASE, kind);
      const inside = await chroot().place(archive.file);
      const into = `/tmp/unpacked-${kind}`;
      await chroot().run(['mkdir', '-p', into]);
      for (const argv of EXTRACT_COMMANDS[kind](inside, into)) {
        const result = await chroot().run(argv);
        expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
      }
      const hello = chroot().host(join(into, 'bin/hello'));
      expect(readFileSync(hello, 'utf8')).toBe(RELEASE['bin/hello']);
      expect(statSync(hello).mode & 0o777).toBe(0o755);
      expect(readFileSync(chroot().host(join(into, 'share/doc/README')), 'utf8')).toBe(
        RELEASE['share/doc/README'],
      );
    },
  );
});

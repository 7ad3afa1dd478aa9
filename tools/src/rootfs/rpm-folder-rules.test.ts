import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VerifiedPackage } from '../backend/types.ts';
import { createRunner } from '../core/run.ts';
import { streamRpmEntries } from '../rpm/index.ts';
import { asRoot, hostTool, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import { makeTempDir, newTree } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

/** rpm -i --root chroots to run the packages' scripts. */
const RPM_INSTALL = reference('rpm 4 installing into a root, with rpmbuild (root)', [
  asRoot(),
  hostTool('rpm'),
  hostTool('rpmbuild'),
]);

const SPECS = {
  /** /srv/real and /opt/link → ../srv/real. */
  links: `%install
mkdir -p %{buildroot}/srv/real %{buildroot}/opt
ln -s ../srv/real %{buildroot}/opt/link
%files
%dir /srv
%dir /srv/real
%dir /opt
/opt/link
`,
  /** Files below the other package's symlink and in a folder nobody lists. */
  below: `%install
mkdir -p %{buildroot}/opt/link/sub %{buildroot}/newdir
echo hi > %{buildroot}/opt/link/file
echo hi > %{buildroot}/opt/link/sub/deep
echo hi > %{buildroot}/newdir/file
%files
/opt/link/file
/opt/link/sub/deep
/newdir/file
`,
};

const runner = createRunner({ sourceDateEpoch: 1_700_000_000 });

describeWithReference(RPM_INSTALL, 'folder rule against rpm 4 (rpm -i --root)', () => {
  let temp: TempDir;
  const rpms: Record<string, string> = {};
  beforeAll(async () => {
    temp = makeTempDir('rpm-folders');
    for (const [name, body] of Object.entries(SPECS)) {
      const spec = join(temp.dir, `${name}.spec`);
      const header = `Name: ${name}\nVersion: 1\nRelease: 1\nSummary: ${name}\nLicense: MIT\nBuildArch: noarch\n%description\n${name}\n`;
      await writeFile(spec, `${header}${body}`);
      const out = join(temp.dir, 'rpms');
      await runner.run(
        [
          'rpmbuild',
          '--quiet',
          '--define',
          `_topdir ${join(temp.dir, 'rpmbuild')}`,
          '--define',
          `_rpmdir ${out}`,
          '--define',
          '_build_id_links none',
          '-bb',
          spec,
        ],
        { timeoutMs: 60_000 },
      );
      const file = (await readdir(join(out, 'noarch'))).find((entry) =>
        entry.startsWith(`${name}-`),
      );
      rpms[name] = join(out, 'noarch', file ?? '');
    }
  }, 120_000);
  afterAll(() => temp.cleanup());

  const verified = (name: string): VerifiedPackage => ({
    package: {
      name,
      version: '1-1',
      arch: 'noarch',
      repository: 'test',
      size: 0,
      location: `${name}-1-1.noarch.rpm`,
      checksum: { type: 'sha256', value: '' },
      reason: 'requested',
    },
    file: rpms[name] ?? '',
    digest: { algorithm: 'sha256', hex: '0'.repeat(64) },
    signer: undefined,
    scripts: [],
    entries: () => streamRpmEntries(rpms[name] ?? ''),
  });

  it('places files below another package’s symlink and makes unlisted folders, as rpm does', async () => {
    const root = join(temp.dir, 'root');
    await mkdir(root);
    const rpm = (args: string[]) =>
      runner.run(['rpm', '--root', root, '--nodeps', '--nosignature', ...args], {
        timeoutMs: 60_000,
      });
    await runner.run(['rpm', '--root', root, '--initdb']);
    await rpm(['-i', rpms['links'] ?? '']);
    const theirs = await rpm(['-i', rpms['below'] ?? '']);
    expect(theirs.exitCode).toBe(0);
    const found = await runner.run(['find', 'srv', 'opt', 'newdir'], { cwd: root });
    const rpmPaths = found.stdout
      .trim()
      .split('\n')
      .map((path) => `/${path}`)
      .sort();

    const tree = newTree(join(temp.dir, 'ours'));
    await tree.addPackage(verified('links'), { folders: FOLDER_RULES.rpm });
    await tree.addPackage(verified('below'), { folders: FOLDER_RULES.rpm });
    const ours = tree
      .paths()
      .filter((path) => /^\/(srv|opt|newdir)(\/|$)/.test(path))
      .sort();
    expect(ours).toEqual(rpmPaths);
    expect(tree.get('/srv/real/sub')).toMatchObject({
      kind: 'directory',
      mode: 0o755,
      implicit: true,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import { parseComps, parsePrimary } from './index.ts';
import type { RpmRepoPackage } from './index.ts';

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"';

function pkg(name: string, inner = '', location = '<location href="Packages/a.rpm"/>'): string {
  return `<package type="rpm"><name>${name}</name><arch>noarch</arch>
    <version epoch="0" ver="1.0" rel="1"/>
    <checksum type="sha256" pkgid="YES">${'ab'.repeat(32)}</checksum>
    <summary>s</summary><time file="1" build="2"/><size package="3" installed="4" archive="5"/>
    ${location}<format>${inner}</format></package>`;
}

function primary(body: string, count?: number): string {
  return `${HEAD}${count === undefined ? '' : ` packages="${count}"`}>${body}</metadata>`;
}

async function read(chunks: Iterable<string | Uint8Array>): Promise<RpmRepoPackage[]> {
  const packages: RpmRepoPackage[] = [];
  for await (const p of parsePrimary(chunks, 'hostile', { file: 'mirror/primary.xml' })) {
    packages.push(p);
  }
  return packages;
}

async function rejected(chunks: Iterable<string | Uint8Array>): Promise<string> {
  const error = await read(chunks).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PackageFormatError);
  const message = (error as PackageFormatError).message;
  expect(message).toMatch(/^mirror\/primary\.xml: repository "hostile", primary metadata: /);
  return message;
}

/** Splits text into small chunks, to exercise the streaming paths. */
function chunked(text: string, size = 7): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

describe('parsePrimary', () => {
  it('reads dependencies, pre, rich dependencies and files across chunk boundaries', async () => {
    const inner = `<rpm:license>MIT</rpm:license><rpm:vendor/><rpm:header-range start="10" end="20"/>
      <rpm:requires>
        <rpm:entry name="(a &gt;= 1 if b)" pre="1"/>
        <rpm:entry name="c" flags="LE" epoch="2" ver="3" rel="4"/>
      </rpm:requires>
      <rpm:supplements><rpm:entry name="(x and y)"/></rpm:supplements>
      <file>/etc/a &amp; b.conf</file><file type="dir">/usr/bin</file>`;
    const [a] = await read(chunked(primary(pkg('ä-pkg', inner), 1)));
    expect(a).toEqual({
      repository: 'hostile',
      name: 'ä-pkg',
      arch: 'noarch',
      evr: { epoch: 0, version: '1.0', release: '1' },
      checksum: { type: 'sha256', value: 'ab'.repeat(32) },
      summary: 's',
      packageSize: 3,
      installedSize: 4,
      location: 'Packages/a.rpm',
      buildTime: 2,
      license: 'MIT',
      headerRange: { start: 10, end: 20 },
      provides: [],
      requires: [
        { name: '(a >= 1 if b)', pre: true },
        { name: 'c', flags: 'LE', epoch: '2', version: '3', release: '4' },
      ],
      conflicts: [],
      obsoletes: [],
      recommends: [],
      suggests: [],
      supplements: [{ name: '(x and y)' }],
      enhances: [],
      files: ['/etc/a & b.conf', '/usr/bin'],
    });
  });

  it('makes xml:base locations absolute and keeps the base', async () => {
    const location = '<location xml:base="https://mirror.example/el9/" href="Packages/b.rpm"/>';
    const [b] = await read([primary(pkg('b', '', location))]);
    expect(b?.location).toBe('https://mirror.example/el9/Packages/b.rpm');
    expect(b?.locationBase).toBe('https://mirror.example/el9/');
  });

  it('refuses locations that leave the repository', async () => {
    for (const href of ['../../etc/shadow', '/etc/shadow', 'https://elsewhere/x.rpm']) {
      const message = await rejected([primary(pkg('c', '', `<location href="${href}"/>`))]);
      expect(message).toMatch(/package c: /);
    }
  });

  it('refuses a file that lists fewer packages than it declares', async () => {
    expect(await rejected([primary(pkg('a'), 2)])).toMatch(/declares 2 packages but lists 1/);
  });

  it('refuses entity definitions instead of expanding them', async () => {
    const doc = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;">]>${primary(pkg('&y;')).replace(/^<\?xml[^>]*>/, '')}`;
    expect(await rejected([doc])).toMatch(
      /malformed XML \(line \d+, column \d+\): undefined entity/,
    );
  });

  it('bounds nesting, text, fields and size', async () => {
    const deep = `${HEAD}>${'<x>'.repeat(100)}${'</x>'.repeat(100)}</metadata>`;
    expect(await rejected([deep])).toMatch(/nested too deeply/);
    const longDescription = primary(pkg('d', `<description>${'x'.repeat(5 << 20)}</description>`));
    expect(await rejected(chunked(longDescription, 1 << 16))).toMatch(
      /runs over 4194304 characters/,
    );
    expect(await rejected([primary(pkg('n'.repeat(70_000)))])).toMatch(
      /text of <name> is too long/,
    );
    const small = parsePrimary([primary(pkg('a'))], 'hostile', { maxBytes: 100 });
    await expect(small.next()).rejects.toThrow(/expands to more than 100 bytes/);
  });

  it('refuses bad values with the package and line', async () => {
    const badFlags = pkg('e', '<rpm:requires><rpm:entry name="f" flags="NE"/></rpm:requires>');
    expect(await rejected([primary(badFlags)])).toMatch(
      /package e: dependency f has unknown flags "NE" \(line 6, column \d+\)/,
    );
    const badSum = pkg('g').replace('ab'.repeat(32), 'zz');
    expect(await rejected([primary(badSum)])).toMatch(
      /package g: sha256 checksum "zz" is not valid/,
    );
    const md5 = pkg('h').replace('type="sha256"', 'type="md5"');
    expect(await rejected([primary(md5)])).toMatch(/checksum type "md5" is not supported/);
    const noVersion = pkg('i').replace(/<version[^>]*>/, '');
    expect(await rejected([primary(noVersion)])).toMatch(/package i: no <version>/);
    expect(await rejected([primary(pkg('j k'))])).toMatch(/invalid <name> "j k"/);
    expect(await rejected([`${HEAD}><wrong/></metadata>`.replace('<metadata', '<other')])).toMatch(
      /root element is <other>/,
    );
  });

  it('refuses encodings other than UTF-8 and invalid UTF-8', async () => {
    const latin1 = primary(pkg('a')).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(await rejected([latin1])).toMatch(/encoding ISO-8859-1 is not supported/);
    const invalid = new TextEncoder().encode(primary(pkg('a\u00e9')));
    const at = invalid.indexOf(0xc3);
    invalid[at] = 0xff;
    expect(await rejected([invalid])).toMatch(/is not valid UTF-8/);
  });
});

describe('parseComps', () => {
  const comps = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core</id>
    <name>Core</name>
    <name xml:lang="de">Kern</name>
    <packagelist>
      <packagereq>bash</packagereq>
      <packagereq type="default">vim-minimal</packagereq>
      <packagereq type="optional">tmux</packagereq>
      <packagereq type="conditional" requires="NetworkManager">NetworkManager-tui</packagereq>
    </packagelist>
  </group>
  <group><id>no-name</id></group>
  <category><id>c</id><grouplist><groupid>core</groupid></grouplist></category>
  <environment>
    <id>minimal-environment</id>
    <name xml:lang="fr">Minimale</name>
    <name>Minimal Install</name>
    <grouplist><groupid>core</groupid></grouplist>
    <optionlist><groupid default="true">standard</groupid></optionlist>
  </environment>
</comps>`;

  it('reads groups and environments', async () => {
    expect(await parseComps(chunked(comps, 5))).toEqual({
      groups: [
        {
          id: 'core',
          name: 'Core',
          mandatory: ['bash'],
          default: ['vim-minimal'],
          optional: ['tmux'],
          conditional: [{ name: 'NetworkManager-tui', requires: 'NetworkManager' }],
        },
        {
          id: 'no-name',
          name: 'no-name',
          mandatory: [],
          default: [],
          optional: [],
          conditional: [],
        },
      ],
      environments: [
        {
          id: 'minimal-environment',
          name: 'Minimal Install',
          groups: ['core'],
          optionalGroups: ['standard'],
        },
      ],
    });
  });

  it('refuses unknown requirement types and conditionals without a condition', async () => {
    const unknown = comps.replace('type="optional"', 'type="maybe"');
    await expect(parseComps([unknown], { repository: 'r', file: 'comps.xml' })).rejects.toThrow(
      /comps.xml: repository "r", comps: group core: packagereq tmux has unknown type maybe/,
    );
    const noCondition = comps.replace(' requires="NetworkManager"', '');
    await expect(parseComps([noCondition])).rejects.toThrow(
      /conditional packagereq NetworkManager-tui has no requires/,
    );
  });
});

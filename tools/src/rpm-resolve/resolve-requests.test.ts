import { describe, expect, it } from 'vitest';
import type { Comps } from '../rpm-repo/types.ts';
import { resolveRpm } from './resolve.ts';
import { rpmPackage as pkg, rpmRepository as repo } from './test-support/builders.ts';
import { formatEvr } from './vercmp.ts';

const X86 = { arch: 'x86_64' } as const;

const COMPS: Comps = {
  groups: [
    {
      id: 'core',
      name: 'Core',
      mandatory: ['bash', 'not-in-repo'],
      default: ['vim'],
      optional: ['emacs'],
      conditional: [
        { name: 'vim-spell', requires: 'vim' },
        { name: 'emacs-spell', requires: 'emacs' },
      ],
    },
    {
      id: 'extras',
      name: 'Extra Tools',
      mandatory: ['emacs'],
      default: [],
      optional: [],
      conditional: [],
    },
  ],
  environments: [{ id: 'server', name: 'Server', groups: ['core', 'extras'], optionalGroups: [] }],
};

const base = repo(
  'base',
  [
    pkg('bash-5.1-2.el9.x86_64', { provides: ['/bin/sh'], files: ['/usr/bin/bash'] }),
    pkg('bash-5.2-1.el9.x86_64', { provides: ['/bin/sh'], files: ['/usr/bin/bash'] }),
    pkg('bash-5.2-1.el9.i686', { provides: ['/bin/sh'], files: ['/usr/bin/bash'] }),
    pkg('vim-9-1.x86_64'),
    pkg('vim-spell-9-1.noarch'),
    pkg('emacs-29-1.x86_64', { provides: ['editor = 29'] }),
    pkg('emacs-spell-29-1.noarch'),
    pkg('nano-7-1.x86_64', { provides: ['editor = 7'] }),
  ],
  { comps: COMPS },
);

async function nevras(request: readonly string[]): Promise<string[]> {
  const { packages } = await resolveRpm([base], request, X86);
  return packages.map((p) => `${p.name}-${formatEvr(p.evr)}.${p.arch}`);
}

describe('requests', () => {
  it('takes names, name-version, name-version-release and name.arch like dnf', async () => {
    expect(await nevras(['bash'])).toEqual(['bash-5.2-1.el9.x86_64']);
    expect(await nevras(['bash-5.1'])).toEqual(['bash-5.1-2.el9.x86_64']);
    expect(await nevras(['bash-5.1-2.el9'])).toEqual(['bash-5.1-2.el9.x86_64']);
    expect(await nevras(['bash.i686'])).toEqual(['bash-5.2-1.el9.i686']);
    expect(await nevras(['bash-5.2-1.el9.i686'])).toEqual(['bash-5.2-1.el9.i686']);
  });

  it('takes capabilities and paths', async () => {
    expect(await nevras(['/bin/sh'])).toEqual(['bash-5.2-1.el9.x86_64']);
    expect(await nevras(['/usr/bin/bash'])).toEqual(['bash-5.2-1.el9.x86_64']);
    expect(await nevras(['editor'])).toEqual(['emacs-29-1.x86_64']);
    expect(await nevras(['editor < 10'])).toEqual(['nano-7-1.x86_64']);
  });

  it('installs a group: mandatory, default and conditional packages, not optional ones', async () => {
    const result = await resolveRpm([base], ['@core'], X86);
    expect(result.packages.map((p) => p.name)).toEqual(['bash', 'vim', 'vim-spell']);
    expect(result.warnings).toEqual(['no package not-in-repo for @core (group core)']);
    expect(result.reasons.get('vim.x86_64')).toEqual({ kind: 'requested', request: 'vim (@core)' });
  });

  it('installs an environment as its groups, by id or by name', async () => {
    const expected = ['bash', 'emacs', 'emacs-spell', 'vim', 'vim-spell'];
    expect((await resolveRpm([base], ['@server'], X86)).packages.map((p) => p.name)).toEqual(
      expected,
    );
    expect((await resolveRpm([base], ['@Server'], X86)).packages.map((p) => p.name)).toEqual(
      expected,
    );
    expect((await resolveRpm([base], ['@extra tools'], X86)).packages.map((p) => p.name)).toEqual([
      'emacs',
    ]);
  });
});

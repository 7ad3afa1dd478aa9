import { describe, expect, it } from 'vitest';
import { RpmResolveError } from './errors.ts';
import { loadRpmFilelists } from './filelists.ts';
import { resolveRpm } from './resolve.ts';
import type { RpmResolveOptions } from './resolve.ts';
import type { RpmResolveRepository } from './pool.ts';
import { rpmPackage as pkg, rpmRepository as repo } from './test-support/builders.ts';

const X86 = { arch: 'x86_64' } as const;

async function names(
  repos: readonly RpmResolveRepository[],
  request: readonly string[],
  options: RpmResolveOptions = X86,
): Promise<string[]> {
  return (await resolveRpm(repos, request, options)).packages.map((p) => p.name);
}

describe('weak dependencies', () => {
  const base = repo('base', [
    pkg('editor-1-1.x86_64', { recommends: ['spell', 'missing-thing', 'fancy'] }),
    pkg('spell-1-1.x86_64'),
    pkg('fancy-1-1.x86_64', { requires: ['nothing-has-this'] }),
    pkg('editor-doc-1-1.noarch', { supplements: ['editor'] }),
    pkg('editor-lang-de-1-1.noarch', { supplements: ['(editor and lang-de)'] }),
  ]);

  it('installs what is recommended and resolvable, and what supplements the result', async () => {
    const result = await resolveRpm([base], ['editor'], X86);
    expect(result.packages.map((p) => p.name)).toEqual(['editor', 'editor-doc', 'spell']);
    expect(result.reasons.get('spell.x86_64')).toEqual({
      kind: 'recommends',
      by: 'editor.x86_64',
      capability: 'spell',
    });
    expect(result.reasons.get('editor-doc.noarch')).toEqual({
      kind: 'supplements',
      capability: 'editor',
    });
  });

  it('leaves weak dependencies out when asked to', async () => {
    expect(await names([base], ['editor'], { ...X86, installWeakDeps: false })).toEqual(['editor']);
  });
});

describe('rich dependencies', () => {
  const base = repo('base', [
    pkg('app-1-1.x86_64', {
      requires: ['(backend-sqlite or backend-pg)', '(app-selinux if selinux-policy)'],
    }),
    pkg('backend-pg-1-1.x86_64'),
    pkg('backend-sqlite-1-1.x86_64'),
    pkg('app-selinux-1-1.noarch'),
    pkg('selinux-policy-1-1.noarch'),
    pkg('pinned-1-1.x86_64', { requires: ['(lib >= 2 with lib < 3)'] }),
    pkg('lib-1-1.x86_64'),
    pkg('lib-2.5-1.x86_64'),
    pkg('lib-3-1.x86_64'),
    pkg('picky-1-1.x86_64', { requires: ['(backend-sqlite unless backend-pg)'] }),
    pkg('hater-1-1.x86_64', { conflicts: ['(backend-pg and backend-sqlite)'] }),
  ]);

  it('satisfies or, if, with', async () => {
    expect(await names([base], ['app'])).toEqual(['app', 'backend-pg']);
    expect(await names([base], ['app', 'selinux-policy'])).toEqual([
      'app',
      'app-selinux',
      'backend-pg',
      'selinux-policy',
    ]);
    const pinned = await resolveRpm([base], ['pinned'], X86);
    expect(pinned.packages.map((p) => `${p.name}-${p.evr.version}`)).toEqual([
      'lib-2.5',
      'pinned-1',
    ]);
  });

  it('honours unless and rich conflicts', async () => {
    expect(await names([base], ['picky'])).toEqual(['backend-sqlite', 'picky']);
    const error = await resolveRpm([base], ['picky', 'backend-pg'], X86).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpmResolveError);
    const conflict = await resolveRpm([base], ['hater', 'backend-pg', 'backend-sqlite'], X86).catch(
      (e: unknown) => e,
    );
    expect(conflict).toBeInstanceOf(RpmResolveError);
    expect((conflict as RpmResolveError).code).toBe('rpm-conflict');
  });
});

describe('file dependencies', () => {
  const packages = [
    pkg('script-1-1.noarch', { requires: ['/usr/bin/sh'] }),
    pkg('plugin-1-1.noarch', { requires: ['/usr/share/app/plugins'] }),
    pkg('bash-5-1.x86_64', { files: ['/usr/bin/sh', '/usr/bin/bash'] }),
    pkg('app-data-1-1.noarch'),
  ];
  const filelists = { 'app-data': ['/usr/share/app', '/usr/share/app/plugins'] };

  it('uses primary first and reads the complete file lists only when primary is not enough', async () => {
    const lazy = repo('base', packages, { filelists });
    expect(await names([lazy], ['script'])).toEqual(['bash', 'script']);
    expect(lazy.filelistReads).toBe(0);
    const result = await resolveRpm([lazy], ['plugin'], X86);
    expect(result.packages.map((p) => p.name)).toEqual(['app-data', 'plugin']);
    expect(lazy.filelistReads).toBe(1);
  });

  it('takes file lists read beforehand, or goes without them', async () => {
    const ahead = repo('base', packages, { filelists });
    const index = await loadRpmFilelists([ahead]);
    expect(await names([ahead], ['plugin'], { ...X86, filelists: index })).toEqual([
      'app-data',
      'plugin',
    ]);
    expect(ahead.filelistReads).toBe(1);
    const error = await resolveRpm([ahead], ['plugin'], { ...X86, filelists: false }).catch(
      (e: unknown) => e,
    );
    expect((error as RpmResolveError).code).toBe('rpm-nothing-provides');
    expect(ahead.filelistReads).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { RpmRepoPackage } from '../rpm-repo/types.ts';
import { UserError } from '../core/errors.ts';
import { RpmResolveError } from './errors.ts';
import { describeReason, reasonChain } from './reasons.ts';
import { resolveRpm } from './resolve.ts';
import type { RpmResolveOptions } from './resolve.ts';
import type { RpmResolveRepository } from './pool.ts';
import { rpmPackage as pkg, rpmRepository as repo } from './test-support/builders.ts';
import { formatEvr } from './vercmp.ts';

const X86 = { arch: 'x86_64' } as const;

async function names(
  repos: readonly RpmResolveRepository[],
  request: readonly string[],
  options: RpmResolveOptions = X86,
): Promise<string[]> {
  const { packages } = await resolveRpm(repos, request, options);
  return packages.map((p: RpmRepoPackage) => `${p.name}-${formatEvr(p.evr)}.${p.arch}`);
}

async function failure(promise: Promise<unknown>): Promise<RpmResolveError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RpmResolveError);
  expect(error).toBeInstanceOf(UserError);
  return error as RpmResolveError;
}

describe('resolveRpm: requirements and choices', () => {
  it('follows requirements, sorts by name and says why each package is there', async () => {
    const base = repo('base', [
      pkg('bash-5.1-2.x86_64', { requires: ['libtinfo.so.6()(64bit)', '/usr/bin/sh'] }),
      pkg('ncurses-libs-6.2-8.x86_64', { provides: ['libtinfo.so.6()(64bit)'] }),
      pkg('dash-0.5-1.x86_64', { files: ['/usr/bin/sh'] }),
      pkg('unrelated-1-1.x86_64'),
    ]);
    const result = await resolveRpm([base], ['bash'], X86);
    expect(result.packages.map((p) => p.name)).toEqual(['bash', 'dash', 'ncurses-libs']);
    expect(result.reasons.get('bash.x86_64')).toEqual({ kind: 'requested', request: 'bash' });
    expect(result.reasons.get('ncurses-libs.x86_64')).toEqual({
      kind: 'requires',
      by: 'bash.x86_64',
      capability: 'libtinfo.so.6()(64bit)',
    });
    expect(reasonChain(result.reasons, 'dash.x86_64')).toEqual(['dash', 'bash', 'requested']);
    expect(
      describeReason(result.reasons.get('dash.x86_64') ?? { kind: 'supplements', capability: '' }),
    ).toBe('required by bash.x86_64 for /usr/bin/sh');
  });

  it('takes the highest version, from the repository with the best priority, then the lowest cost', async () => {
    const old = repo('old', [pkg('tool-2.0-1.x86_64')], { priority: 10 });
    const fresh = repo('fresh', [pkg('tool-1.0-1.x86_64'), pkg('tool-1.0-10.x86_64')], {
      priority: 50,
    });
    expect(await names([fresh], ['tool'])).toEqual(['tool-1.0-10.x86_64']);
    expect(await names([fresh, old], ['tool'])).toEqual(['tool-2.0-1.x86_64']);
    const cheap = repo('cheap', [pkg('same-1-1.x86_64')], { cost: 10 });
    const dear = repo('dear', [pkg('same-1-1.x86_64')], { cost: 2000 });
    const { packages } = await resolveRpm([dear, cheap], ['same'], X86);
    expect(packages.map((p) => p.repository)).toEqual(['cheap']);
  });

  it('prefers the target architecture, uses i686 only when asked or nothing else provides', async () => {
    const multi = repo('multi', [
      pkg('glibc-2.34-1.x86_64'),
      pkg('glibc-2.34-1.i686'),
      pkg('legacy-1-1.x86_64', { requires: ['libold.so.1'] }),
      pkg('oldlib-1-1.i686', { provides: ['libold.so.1'] }),
      pkg('armonly-1-1.aarch64'),
    ]);
    expect(await names([multi], ['glibc'])).toEqual(['glibc-2.34-1.x86_64']);
    expect(await names([multi], ['glibc.i686'])).toEqual(['glibc-2.34-1.i686']);
    expect(await names([multi], ['legacy'])).toEqual(['legacy-1-1.x86_64', 'oldlib-1-1.i686']);
    await failure(resolveRpm([multi], ['armonly'], X86));
  });

  it('matches requirements without a release against every release, and unversioned provides', async () => {
    const base = repo('base', [
      pkg('app-1-1.x86_64', { requires: ['lib = 2.0', 'virtual >= 3'] }),
      pkg('lib-2.0-7.x86_64'),
      pkg('provider-1-1.x86_64', { provides: ['virtual'] }),
    ]);
    expect(await names([base], ['app'])).toEqual([
      'app-1-1.x86_64',
      'lib-2.0-7.x86_64',
      'provider-1-1.x86_64',
    ]);
  });

  it('between different providers: the one chosen already, else the first by name', async () => {
    const base = repo('base', [
      pkg('app-1-1.x86_64', { requires: ['mta', 'sendmail'] }),
      pkg('postfix-3-1.x86_64', { provides: ['mta', 'sendmail'] }),
      pkg('exim-4-1.x86_64', { provides: ['mta', 'sendmail'] }),
      pkg('sendmail-8-1.x86_64', { provides: ['mta'] }),
    ]);
    expect(await names([base], ['app'])).toEqual(['app-1-1.x86_64', 'exim-4-1.x86_64']);
    expect(await names([base], ['app', 'postfix'])).toEqual([
      'app-1-1.x86_64',
      'postfix-3-1.x86_64',
    ]);
    // As libsolv: the package named like the capability gets no preference for a dependency,
    // while a request for the name takes that package.
    expect(await names([base], ['sendmail'])).toEqual(['sendmail-8-1.x86_64']);
  });

  it('prefers a provider that an installed package suggests or recommends', async () => {
    const base = repo('base', [
      pkg('glibc-2-1.x86_64', {
        requires: ['glibc-langpack'],
        suggests: ['glibc-minimal-langpack'],
      }),
      pkg('glibc-langpack-aa-2-1.x86_64', { provides: ['glibc-langpack'] }),
      pkg('glibc-minimal-langpack-2-1.x86_64', { provides: ['glibc-langpack'] }),
      pkg('shell-1-1.x86_64', { requires: ['sh'], recommends: ['zsh'] }),
      pkg('bash-5-1.x86_64', { provides: ['sh'] }),
      pkg('zsh-5-1.x86_64', { provides: ['sh'] }),
    ]);
    expect(await names([base], ['glibc'])).toEqual([
      'glibc-2-1.x86_64',
      'glibc-minimal-langpack-2-1.x86_64',
    ]);
    expect(await names([base], ['shell'], { ...X86, installWeakDeps: false })).toEqual([
      'shell-1-1.x86_64',
      'zsh-5-1.x86_64',
    ]);
  });

  it('drops a choice that turned out unnecessary, as libsolv minimises', async () => {
    const base = repo('base', [
      pkg('app-1-1.x86_64', { requires: ['editor'], recommends: ['vim-plugin'] }),
      pkg('emacs-1-1.x86_64', { provides: ['editor'] }),
      pkg('vim-1-1.x86_64', { provides: ['editor'] }),
      pkg('vim-plugin-1-1.x86_64', { requires: ['vim'] }),
    ]);
    expect(await names([base], ['app'], { ...X86, installWeakDeps: false })).toEqual([
      'app-1-1.x86_64',
      'emacs-1-1.x86_64',
    ]);
    expect(await names([base], ['app'])).toEqual([
      'app-1-1.x86_64',
      'vim-1-1.x86_64',
      'vim-plugin-1-1.x86_64',
    ]);
  });
});

describe('resolveRpm: obsoletes and conflicts', () => {
  it('installs the obsoleting package instead of an obsoleted request, and never both', async () => {
    const base = repo('base', [
      pkg('oldname-1-1.x86_64'),
      pkg('newname-2-1.x86_64', { obsoletes: ['oldname < 2'], provides: ['oldname = 2'] }),
      pkg('user-1-1.x86_64', { requires: ['oldname'] }),
    ]);
    expect(await names([base], ['oldname'])).toEqual(['newname-2-1.x86_64']);
    expect(await names([base], ['user'])).toEqual(['newname-2-1.x86_64', 'user-1-1.x86_64']);
  });

  it('avoids a provider that conflicts with what is chosen, going back when needed', async () => {
    const base = repo('base', [
      pkg('app-1-1.x86_64', { requires: ['libcurl', 'helper'] }),
      pkg('helper-1-1.x86_64', { requires: ['curl-full'] }),
      pkg('curl-full-1-1.x86_64', { conflicts: ['libcurl-minimal'] }),
      pkg('libcurl-minimal-1-1.x86_64', { provides: ['libcurl'] }),
      pkg('libcurl-1-1.x86_64'),
      pkg('a-minimal-first-1-1.x86_64', { provides: ['libcurl'], conflicts: ['helper'] }),
    ]);
    expect(await names([base], ['app'])).toEqual([
      'app-1-1.x86_64',
      'curl-full-1-1.x86_64',
      'helper-1-1.x86_64',
      'libcurl-1-1.x86_64',
    ]);
  });

  it('says which packages conflict and who wanted them', async () => {
    const base = repo('base', [
      pkg('a-1-1.x86_64', { requires: ['b'] }),
      pkg('b-1-1.x86_64', { conflicts: ['c'] }),
      pkg('c-1-1.x86_64'),
    ]);
    const error = await failure(resolveRpm([base], ['a', 'c'], X86));
    expect(error.code).toBe('rpm-conflict');
    expect(error.message).toBe(
      'b-1-1.x86_64 conflicts with c provided by c-1-1.x86_64 (wanted by: b <- a <- requested; c <- requested)',
    );
  });
});

describe('resolveRpm: failures', () => {
  it('says what nothing provides, who needs it and who wanted that', async () => {
    const base = repo('base', [
      pkg('bar-1.0-1.el9.x86_64', { requires: ['libfoo.so.1()(64bit)'] }),
      pkg('top-1-1.x86_64', { requires: ['bar'] }),
    ]);
    const direct = await failure(resolveRpm([base], ['bar'], X86));
    expect(direct.code).toBe('rpm-nothing-provides');
    expect(direct.message).toBe(
      'nothing provides libfoo.so.1()(64bit) needed by bar-1.0-1.el9.x86_64 (wanted by: bar <- requested)',
    );
    expect(direct.hint).toBeDefined();
    const deep = await failure(resolveRpm([base], ['top'], X86));
    expect(deep.message).toBe(
      'nothing provides libfoo.so.1()(64bit) needed by bar-1.0-1.el9.x86_64 (wanted by: bar <- top <- requested)',
    );
  });

  it('rejects requests nothing matches and unknown groups', async () => {
    const base = repo('base', [pkg('a-1-1.x86_64')]);
    expect((await failure(resolveRpm([base], ['nope'], X86))).code).toBe('rpm-no-match');
    expect((await failure(resolveRpm([base], ['@nope'], X86))).code).toBe('rpm-unknown-group');
  });
});

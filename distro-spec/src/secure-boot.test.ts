import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIANTS, SecureBootSettingsError, SpecError, loadVariant } from './index.ts';
import { useVariantFolder } from './variant-files.support.ts';

const folder = useVariantFolder('distro-spec-secure-boot');
const write = (name: string, text: string) => folder.write(name, text);

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

describe('secureBoot', () => {
  it.each(BUILTIN_VARIANTS)('is off for %s unless asked for', async (name) => {
    expect((await loadVariant(name)).secureBoot).toBeUndefined();
  });

  it('resolves each path against the file that wrote it, and enrols as the variant id', async () => {
    await mkdir(join(folder.dir, 'signed'), { recursive: true });
    const parent = await write(
      'signed/parent.yaml',
      'extends: acorn\nsecureBoot:\n  key: keys/db.key\n  cert: keys/db.crt\n',
    );
    const child = await write(
      'child.yaml',
      'extends: signed/parent.yaml\nid: child\nsecureBoot:\n  cert: mine/db.crt\n  enroll:\n    keys: mine\n',
    );
    expect((await loadVariant(parent)).secureBoot).toEqual({
      key: join(folder.dir, 'signed', 'keys', 'db.key'),
      cert: join(folder.dir, 'signed', 'keys', 'db.crt'),
    });
    expect((await loadVariant(child)).secureBoot).toEqual({
      key: join(folder.dir, 'signed', 'keys', 'db.key'),
      cert: join(folder.dir, 'mine', 'db.crt'),
      enroll: { keys: join(folder.dir, 'mine'), name: 'child', mode: 'manual' },
    });
  });

  it('takes the command line over the file, relative to the working folder', async () => {
    const file = await write(
      'signed.yaml',
      'extends: acorn\nsecureBoot:\n  key: db.key\n  cert: db.crt\n  enroll: { keys: k, name: office }\n',
    );
    const spec = await loadVariant(file, {
      secureBoot: { key: 'other.key', enrollKeys: '/srv/keys', enrollMode: 'manual' },
    });
    expect(spec.secureBoot).toEqual({
      key: join(process.cwd(), 'other.key'),
      cert: join(folder.dir, 'db.crt'),
      enroll: { keys: '/srv/keys', name: 'office', mode: 'manual' },
    });
    const built = await loadVariant('acorn', {
      secureBoot: {
        key: 'pkcs11:token=db',
        cert: '/k/db.crt',
        enrollKeys: 'k',
        enrollMode: 'force',
      },
    });
    expect(built.secureBoot).toEqual({
      key: 'pkcs11:token=db',
      cert: '/k/db.crt',
      enroll: { keys: join(process.cwd(), 'k'), name: 'auto', mode: 'force' },
    });
  });

  it.each([
    [{ key: 'db.key' }, /key was given without its certificate/],
    [{ cert: 'db.crt' }, /certificate was given without its key/],
    [{ enrollKeys: 'keys' }, /no key to sign with/],
  ])('refuses incomplete settings %o with a hint', async (secureBoot, message) => {
    const error = await refusal(loadVariant('acorn', { secureBoot }));
    expect(error).toBeInstanceOf(SecureBootSettingsError);
    expect((error as SecureBootSettingsError).message).toMatch(message);
    expect((error as SecureBootSettingsError).hint).toMatch(/--sb-/);
  });

  it('refuses a forced enrolment under another name than auto', async () => {
    const file = await write(
      'forced.yaml',
      'extends: acorn\nsecureBoot:\n  key: db.key\n  cert: db.crt\n  enroll: { keys: k, name: office, mode: force }\n',
    );
    const error = await refusal(loadVariant(file));
    expect((error as Error).message).toMatch(/always in loader\/keys\/auto, not office/);
  });

  it('must be complete in the merged variant, reported where it is written', async () => {
    const file = await write('half.yaml', 'extends: acorn\nsecureBoot:\n  key: db.key\n');
    const error = await refusal(loadVariant(file));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((problem) => problem.path)).toEqual([
      'secureBoot.cert',
    ]);
  });
});

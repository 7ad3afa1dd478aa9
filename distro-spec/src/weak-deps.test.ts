import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIANTS, SpecError, loadVariant } from './index.ts';
import { useVariantFolder } from './variant-files.support.ts';

const folder = useVariantFolder('distro-spec-weak');
const write = (name: string, text: string) => folder.write(name, text);

describe('installWeakDeps', () => {
  it.each(BUILTIN_VARIANTS)('is on for %s unless the variant says otherwise', async (name) => {
    expect((await loadVariant(name)).installWeakDeps).toBe(true);
  });

  it('is turned off by a layer, and inherited by its children', async () => {
    const minimal = await write('minimal.yaml', 'extends: levitate\ninstallWeakDeps: false\n');
    await write('child.yaml', 'extends: minimal.yaml\nid: child\n');
    expect((await loadVariant(minimal)).installWeakDeps).toBe(false);
    expect((await loadVariant(join(folder.dir, 'child.yaml'))).installWeakDeps).toBe(false);
  });

  it('is overridden by the build options either way', async () => {
    const minimal = await write('minimal.yaml', 'extends: levitate\ninstallWeakDeps: false\n');
    expect((await loadVariant('levitate', { installWeakDeps: false })).installWeakDeps).toBe(false);
    expect((await loadVariant(minimal, { installWeakDeps: true })).installWeakDeps).toBe(true);
  });

  it('must be a boolean, reported where it is written', async () => {
    const file = await write('wrong.yaml', 'extends: acorn\ninstallWeakDeps: "no"\n');
    const error = await loadVariant(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      {
        file,
        line: 2,
        col: 18,
        path: 'installWeakDeps',
        message: 'expected boolean, got string "no"',
      },
    ]);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@levitate/tools';
import { BUILDERS, builderOf, nxBuildTarget } from './workspace.ts';
import type { BuilderName } from './workspace.ts';

interface ProjectJson {
  readonly name: string;
  readonly targets: Record<string, { options?: { command?: string } }>;
}

describe.each(Object.keys(BUILDERS) as BuilderName[])('the %s builder', (builder) => {
  it('has an nx target that runs its build command', async () => {
    const project = JSON.parse(
      await readFile(join(WORKSPACE_ROOT, builder, 'project.json'), 'utf8'),
    ) as ProjectJson;
    const [name, target] = nxBuildTarget(builder).split(':');
    expect(name).toBe(project.name);
    expect(project.targets[target ?? '']?.options?.command).toMatch(
      new RegExp(`^node ${builder}/bin/${builder}\\.js ${BUILDERS[builder].buildVerb} `),
    );
  });

  it('is found by its variant', () => {
    expect(builderOf(BUILDERS[builder].variant)).toBe(builder);
  });
});

it('names no builder for an unknown variant', () => {
  expect(() => builderOf('nosuch')).toThrow(/no builder makes the variant "nosuch"/);
});

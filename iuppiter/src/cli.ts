import { join } from 'node:path';
import { WORKSPACE_ROOT, createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import { addRunCommand } from '@levitate/testing';
import packageJson from '../package.json' with { type: 'json' };

/** The offline Alpine-format repository that `nx run testing:apk-repo` builds. */
const APK_FIXTURE = {
  repos: [join(WORKSPACE_ROOT, 'dist', 'fixtures', 'apk-repo', 'repo')],
  keys: join(WORKSPACE_ROOT, 'dist', 'fixtures', 'apk-repo', 'keys'),
};

export function createProgram(): Command {
  const program = createVariantCli({
    bin: 'iuppiter',
    variant: 'iuppiter',
    summary: 'Build IuppiterOS, the headless disk-refurbishing appliance built on AcornOS.',
    version: packageJson.version,
    build: { verb: 'iso', fixture: APK_FIXTURE },
  });
  return addRunCommand(program, 'iuppiter');
}

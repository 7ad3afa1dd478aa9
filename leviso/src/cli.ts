import { join } from 'node:path';
import { BUILD_HOST_TOOLS, WORKSPACE_ROOT, createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import { addRunCommand } from '@levitate/testing';
import packageJson from '../package.json' with { type: 'json' };

const RPM_FIXTURE_DIR = join(WORKSPACE_ROOT, 'dist', 'fixtures', 'rpm-repo');

/** The offline Rocky-style repositories that `nx run testing:rpm-repo` builds. */
const RPM_FIXTURE = {
  repos: ['BaseOS', 'AppStream'].map((tree) => join(RPM_FIXTURE_DIR, tree, 'x86_64', 'os')),
  keys: join(RPM_FIXTURE_DIR, 'keys'),
};

export function createProgram(): Command {
  const program = createVariantCli({
    bin: 'leviso',
    variant: 'levitate',
    summary: 'Build LevitateOS, the glibc/systemd variant, from Rocky Linux 10 RPM repositories.',
    version: packageJson.version,
    hostTools: BUILD_HOST_TOOLS,
    build: { verb: 'build', fixture: RPM_FIXTURE },
  });
  return addRunCommand(program, 'levitate');
}

import { createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import { RPM_REPO_PATHS, addRunCommand } from '@levitate/testing';
import packageJson from '../package.json' with { type: 'json' };

/** The offline Rocky-style repositories that `nx run testing:rpm-repo` builds. */
const RPM_FIXTURE = {
  repos: [RPM_REPO_PATHS.baseOs, RPM_REPO_PATHS.appStream],
  keys: RPM_REPO_PATHS.keysDir,
};

export function createProgram(): Command {
  const program = createVariantCli({
    bin: 'leviso',
    variant: 'levitate',
    summary: 'Build LevitateOS, the glibc/systemd variant, from Rocky Linux 10 RPM repositories.',
    version: packageJson.version,
    build: { verb: 'build', fixture: RPM_FIXTURE },
  });
  return addRunCommand(program, 'levitate');
}

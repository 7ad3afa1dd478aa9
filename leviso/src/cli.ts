import { createVariantCli } from '@levitate/tools/cli';
import { RPM_FIXTURE } from '@levitate/tools/workspace';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'leviso',
    variant: 'levitate',
    summary: 'Build LevitateOS, the glibc/systemd variant, from Rocky Linux 10 RPM repositories.',
    version: packageJson.version,
    build: { verb: 'build', fixture: RPM_FIXTURE },
  });
}

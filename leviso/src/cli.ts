import { BUILD_HOST_TOOLS, createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'leviso',
    variant: 'levitate',
    summary: 'Build LevitateOS, the glibc/systemd variant, from Rocky Linux 10 RPM repositories.',
    version: packageJson.version,
    hostTools: BUILD_HOST_TOOLS,
  });
}

import { BUILD_HOST_TOOLS, createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'iuppiter',
    variant: 'iuppiter',
    summary: 'Build IuppiterOS, the headless disk-refurbishing appliance built on AcornOS.',
    version: packageJson.version,
    hostTools: BUILD_HOST_TOOLS,
  });
}

import { createVariantCli } from '@levitate/tools/cli';
import { APK_FIXTURE } from '@levitate/tools/workspace';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'iuppiter',
    variant: 'iuppiter',
    summary: 'Build IuppiterOS, the headless disk-refurbishing appliance built on AcornOS.',
    version: packageJson.version,
    build: { verb: 'iso', fixture: APK_FIXTURE },
  });
}

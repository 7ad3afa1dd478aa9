import { createVariantCli } from '@levitate/tools/cli';
import { APK_FIXTURE } from '@levitate/tools/workspace';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'acorn',
    variant: 'acorn',
    summary: 'Build AcornOS, the musl/OpenRC/busybox variant, from Alpine APK repositories.',
    version: packageJson.version,
    build: { verb: 'iso', fixture: APK_FIXTURE },
  });
}

import { BUILD_HOST_TOOLS, createVariantCli } from '@levitate/tools';
import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

export function createProgram(): Command {
  return createVariantCli({
    bin: 'acorn',
    variant: 'acorn',
    summary: 'Build AcornOS, the musl/OpenRC/busybox variant, from Alpine APK repositories.',
    version: packageJson.version,
    hostTools: BUILD_HOST_TOOLS,
  });
}

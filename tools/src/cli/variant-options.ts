import { Option } from 'commander';
import type { Command } from 'commander';
import type { ResolveOptions } from '@levitate/distro-spec';

/** Options every variant command shares: which variant file, repositories and features. */
export interface VariantOptions {
  variantFile?: string;
  repo: string[];
  keys?: string;
  feature: string[];
  osVersion?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addVariantOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--variant-file <file>', 'use this variant .yaml instead of the built-in one'),
    )
    .addOption(
      new Option(
        '--repo <url|dir|iso>',
        "use this repository instead of the variant's (repeatable); an ISO image stands for each of its top-level folders with repodata/ (BaseOS, AppStream), image.iso#Folder for one",
      )
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option('--keys <dir>', 'trust the public keys in this folder for --repo repositories'),
    )
    .addOption(
      new Option('--feature <name>', 'turn on an optional feature (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option(
        '--os-version <version>',
        "build this version instead of the variant's (os-release, artifact names)",
      ),
    );
}

export function resolveOptionsFrom(options: VariantOptions): ResolveOptions {
  return {
    repositories: options.repo.map((url) =>
      options.keys === undefined ? { url } : { url, keysDir: options.keys },
    ),
    features: options.feature,
    ...(options.osVersion === undefined ? {} : { version: options.osVersion }),
  };
}

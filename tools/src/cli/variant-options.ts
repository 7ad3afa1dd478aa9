import { Option } from 'commander';
import type { Command } from 'commander';
import type { ResolveOptions } from '@levitate/distro-spec';

/** Options every variant command shares: variant file, repositories, features, weak deps. */
export interface VariantOptions {
  variantFile?: string;
  repo: string[];
  keys?: string;
  signedMetadata?: boolean;
  feature: string[];
  osVersion?: string;
  /** False with `--no-weak-deps`. */
  weakDeps?: boolean;
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
      new Option(
        '--signed-metadata',
        'RPM: require a repodata/repomd.xml.asc that verifies for every --repo repository',
      ),
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
    )
    .addOption(
      new Option(
        '--no-weak-deps',
        "RPM: leave out what packages only recommend or supplement (dnf's install_weak_deps=False); APK has no weak dependencies, so it changes nothing there",
      ),
    );
}

export function resolveOptionsFrom(options: VariantOptions): ResolveOptions {
  return {
    repositories: options.repo.map((url) => ({
      url,
      ...(options.keys === undefined ? {} : { keysDir: options.keys }),
      ...(options.signedMetadata === true ? { signedMetadata: true } : {}),
    })),
    features: options.feature,
    ...(options.osVersion === undefined ? {} : { version: options.osVersion }),
    ...(options.weakDeps === false ? { installWeakDeps: false } : {}),
  };
}

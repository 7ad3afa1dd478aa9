import { Command, Option } from 'commander';
import type { BuiltinVariant } from '@levitate/distro-spec';
import type { HostUse } from '../core/host.ts';
import { HOST_USES } from '../core/host-uses.ts';
import { addRunCommand } from '../qemu/run-command.ts';
import { setCommandStatus } from './run-cli.ts';
import type { FixtureRepositories } from '../workspace/fixture-repositories.ts';
import { addRepositoryAccessOptions } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import type { IsoFlags } from './iso-command.ts';
import type { OutputSettings } from './output-settings.ts';
import type { RepositoryFlags } from './repository-choice.ts';
import { addSecureBootOptions, secureBootOverrideFrom } from './secure-boot-options.ts';
import type { SecureBootFlags } from './secure-boot-options.ts';
import { addVariantOptions, resolveOptionsFrom } from './variant-options.ts';
import type { VariantOptions } from './variant-options.ts';

export interface VariantCliOptions {
  /** Name of the executable, e.g. `acorn`; also the builder's nx project. */
  readonly bin: string;
  readonly variant: BuiltinVariant;
  readonly summary: string;
  readonly version: string;
  /** Where command output goes; stdout by default. */
  readonly write?: (text: string) => void;
  /**
   * The ISO build command (`iso` or `build`, the name of its nx target too) and the offline
   * fixture repositories it falls back to. With it comes `run`, which boots what it built.
   */
  readonly build?: {
    readonly verb: string;
    readonly fixture: FixtureRepositories;
  };
}

/**
 * The command-line program shared by the builders: one variant, the same verbs. Only the
 * options are declared here; each command loads what it does when it runs, so `--help`,
 * `spec` and `doctor` never load the resolvers, the fetcher or the squashfs writer.
 */
export function createVariantCli(options: VariantCliOptions): Command {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const program = new Command(options.bin)
    .description(options.summary)
    .version(options.version)
    .addOption(new Option('--debug', 'echo external commands and show stack traces'))
    .addOption(
      new Option(
        '--log-format <format>',
        'progress on stderr: bars on a terminal, plain lines, or JSON events',
      )
        .choices(['auto', 'plain', 'json'])
        .default('auto'),
    )
    .showHelpAfterError()
    .exitOverride();
  const output = () => program.opts<OutputSettings>();
  const variantOf = (flags: VariantOptions) => flags.variantFile ?? options.variant;

  addVariantOptions(
    program
      .command('spec')
      .description(`print the resolved ${options.variant} variant`)
      .option('--json', 'print JSON instead of a summary'),
  ).action(async (flags: VariantOptions & { json?: boolean }) => {
    const { runSpecCommand } = await import('./spec-command.ts');
    write(await runSpecCommand(variantOf(flags), resolveOptionsFrom(flags), flags.json === true));
  });

  addRepositoryAccessOptions(
    addVariantOptions(
      program
        .command('resolve')
        .description(
          `resolve ${options.variant}'s package set against its repositories (or --repo)`,
        )
        .option(
          '--packages <list>',
          "resolve these comma-separated packages instead of the variant's set",
        )
        .option('--json', 'print JSON instead of a table')
        .option(
          '--why <name>',
          'print the shortest chains of dependencies from the request to this package instead',
        ),
    ),
  ).action(
    async (
      flags: VariantOptions &
        RepositoryAccessOptions & { packages?: string; json?: boolean; why?: string },
    ) => {
      const { runResolveCommand } = await import('./resolve-command.ts');
      write(
        await runResolveCommand({
          variant: variantOf(flags),
          resolveOptions: resolveOptionsFrom(flags),
          flags,
          output: output(),
        }),
      );
    },
  );

  addVariantOptions(
    program
      .command('inspect')
      .description(
        `show a package file's metadata and entries, once its digests (and, with --keys, its signatures) verify`,
      )
      .argument('<file>', 'the package file')
      .option('--json', 'print JSON (sorted keys)')
      .option(
        '--no-verify',
        'show the metadata even when digests or signatures do not verify, with a warning',
      ),
  ).action(async (file: string, flags: VariantOptions & { verify: boolean }) => {
    const { runInspectCommand } = await import('./inspect-command.ts');
    write(
      await runInspectCommand({
        bin: options.bin,
        variant: variantOf(flags),
        resolveOptions: resolveOptionsFrom(flags),
        file,
        ...(flags.keys === undefined ? {} : { keys: flags.keys }),
        verify: flags.verify,
        output: output(),
      }),
    );
  });

  if (options.build) {
    const build = options.build;
    addSecureBootOptions(
      addRepositoryAccessOptions(
        addVariantOptions(
          program
            .command(build.verb)
            // Both verbs work in every app: `acorn build` is `acorn iso`, `leviso iso` is `leviso build`.
            .alias(build.verb === 'iso' ? 'build' : 'iso')
            .description(
              `build the ${options.variant} live ISO into dist/<id>: ISO, .sha256 and build report`,
            )
            .option('--out <dir>', 'output folder (default: dist/<id>)')
            .addOption(
              new Option('--compressor <kind>', 'squashfs compression')
                .choices(['zstd', 'xz'])
                .default('zstd'),
            )
            .option(
              '--stage-cache <size>',
              'keep compressed squashfs blocks, the initramfs, the UKIs and the ESP image in <cache>/stages for the next build, at most this much (default 2G; 0: off)',
            )
            .option(
              '--fixture',
              "use the offline fixture repository instead of the variant's mirrors (without it, only a build whose mirrors are all out of reach and not cached falls back to it)",
            )
            .option(
              '--locked',
              'build exactly the packages of the lock file, without resolving; refuse when the variant changed since it was written or a file differs from it',
            )
            .option(
              '--lock-file <file>',
              'the lock file (default: <name>.lock.yaml beside the variant file); without --locked, the build says where it differs from it',
            ),
        ),
      ),
    ).action(async (flags: VariantOptions & IsoFlags & RepositoryFlags & SecureBootFlags) => {
      const { runBuildCommand } = await import('./build-command.ts');
      const secureBoot = secureBootOverrideFrom(flags);
      write(
        await runBuildCommand({
          variant: variantOf(flags),
          resolveOptions: {
            ...resolveOptionsFrom(flags),
            ...(secureBoot === undefined ? {} : { secureBoot }),
          },
          flags,
          output: output(),
          fixture: build.fixture,
        }),
      );
    });
    addRepositoryAccessOptions(
      addVariantOptions(
        program
          .command('lock')
          .description(
            `resolve ${options.variant}, fetch and verify its packages, and write them to <name>.lock.yaml beside the variant file, for ${build.verb} --locked`,
          )
          .option('--lock-file <file>', 'write the lock here instead')
          .option(
            '--fixture',
            "lock against the offline fixture repository instead of the variant's mirrors",
          ),
      ),
    ).action(
      async (
        flags: VariantOptions &
          RepositoryAccessOptions &
          RepositoryFlags & { keys?: string; lockFile?: string },
      ) => {
        const { runLockCommand } = await import('./lock-command.ts');
        write(
          await runLockCommand({
            bin: options.bin,
            variant: variantOf(flags),
            resolveOptions: resolveOptionsFrom(flags),
            flags,
            output: output(),
            fixture: build.fixture,
          }),
        );
      },
    );
    addRunCommand(program, {
      variant: options.variant,
      buildTask: `${options.bin}:${build.verb}`,
    });
  }

  program
    .command('diff')
    .description(
      'explain how two built ISOs differ: ISO tree, ESP, UKI sections, initramfs, squashfs tree and packages; exit 1 when they differ',
    )
    .argument('<a>', 'the first ISO')
    .argument('<b>', 'the second ISO')
    .option('--json', 'print JSON instead of text')
    .action(async (a: string, b: string, flags: { json?: boolean }) => {
      const { runDiffCommand } = await import('./diff-command.ts');
      const { text, diff } = await runDiffCommand({
        a,
        b,
        json: flags.json === true,
        debug: output().debug === true,
      });
      write(text);
      setCommandStatus(diff.identical ? 0 : 1);
    });

  program
    .command('sb-keys')
    .description(
      'make your own Secure Boot keys (PK, KEK, db) with the .auth files that enrol them',
    )
    .requiredOption('--out <dir>', 'a new folder for the keys')
    .option('--owner <name>', "put in the certificates' names (default: the variant's name)")
    .option('--variant-file <file>', 'take the name from this variant .yaml')
    .action(async (flags: { out: string; owner?: string; variantFile?: string }) => {
      const { runSbKeysCommand } = await import('./sb-keys-command.ts');
      let owner = flags.owner;
      if (owner === undefined) {
        const { loadVariantForCli } = await import('./load-variant.ts');
        owner = (await loadVariantForCli(flags.variantFile ?? options.variant, {})).name;
      }
      write(
        await runSbKeysCommand({
          out: flags.out,
          owner,
          bin: options.bin,
          debug: output().debug === true,
        }),
      );
    });

  program
    .command('doctor')
    .description(
      'check that this host has the tools a command needs, and name the Debian packages to install',
    )
    .addOption(
      new Option(
        '--for <use>',
        "which command's tools: build (the ISO build), run (boot the ISO in QEMU), sign (Secure Boot: a signed build, sb-keys), test (the test suite, which also builds, signs and boots), bench (the benchmarks)",
      )
        .choices(HOST_USES)
        .default('build'),
    )
    .option('--json', 'print JSON instead of a list')
    .action(async (flags: { for: HostUse; json?: boolean }) => {
      const { assertDoctor, describeDoctor, runDoctor } = await import('./doctor-command.ts');
      const report = await runDoctor(flags.for);
      write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeDoctor(report)}\n`);
      assertDoctor(report);
    });

  return program;
}

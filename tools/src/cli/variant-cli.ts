import { Command, Option } from 'commander';
import { resolve as resolvePath } from 'node:path';
import { BACKENDS } from '../backend/index.ts';
import { createReporter, detectReporterMode } from '../core/step.ts';
import type { Reporter } from '../core/step.ts';
import { addRepositoryAccessOptions, cacheDirFrom, downloadsDirOf } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { stableJson } from './json.ts';
import { runInspect } from './inspect-command.ts';
import { describeResolve, runResolve } from './resolve-command.ts';
import { runIsoBuild } from './iso-command.ts';
import { chooseRepositories, originFromFlags, probeRepositories } from './repository-choice.ts';
import type { RepositoryFlags } from './repository-choice.ts';
import type { IsoFlags } from './iso-command.ts';
import type { BuiltinVariant, VariantSpec } from '@levitate/distro-spec';
import type { RepositoryOrigin } from '../pipeline/repository-sources.ts';
import { assertHost, checkHost } from '../core/host.ts';
import type { HostUse } from '../core/host.ts';
import { HOST_USES, requirementsFor } from '../core/host-uses.ts';
import { assertDoctor, describeDoctor, runDoctor } from './doctor-command.ts';
import { loadVariantForCli } from './load-variant.ts';
import { describeSpec } from './spec-command.ts';
import { addVariantOptions, resolveOptionsFrom } from './variant-options.ts';
import type { VariantOptions } from './variant-options.ts';

export interface VariantCliOptions {
  /** Name of the executable, e.g. `acorn`. */
  readonly bin: string;
  readonly variant: BuiltinVariant;
  readonly summary: string;
  readonly version: string;
  /** Where command output goes; stdout by default. */
  readonly write?: (text: string) => void;
  /** The ISO build command (`iso` or `build`) and the offline fixture repository it falls back to. */
  readonly build?: {
    readonly verb: string;
    readonly fixture: { readonly repos: readonly string[]; readonly keys: string };
  };
}

/** The command-line program shared by the builders: one variant, the same verbs. */
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

  addVariantOptions(
    program
      .command('spec')
      .description(`print the resolved ${options.variant} variant`)
      .option('--json', 'print JSON instead of a summary'),
  ).action(async (flags: VariantOptions & { json?: boolean }) => {
    const spec = await loadVariantForCli(
      flags.variantFile ?? options.variant,
      resolveOptionsFrom(flags),
    );
    write(flags.json ? `${JSON.stringify(spec, null, 2)}\n` : `${describeSpec(spec)}\n`);
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
        .option('--json', 'print JSON instead of a table'),
    ),
  ).action(
    async (
      flags: VariantOptions & RepositoryAccessOptions & { packages?: string; json?: boolean },
    ) => {
      const spec = await loadVariantForCli(
        flags.variantFile ?? options.variant,
        resolveOptionsFrom(flags),
      );
      const request = flags.packages
        ?.split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      const report = await runResolve(spec, request, flags, reporterFor(program));
      write(flags.json ? stableJson(report) : `${describeResolve(report)}\n`);
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
  ).action(async (file: string, flags: VariantOptions & { json?: boolean; verify: boolean }) => {
    const spec = await loadVariantForCli(
      flags.variantFile ?? options.variant,
      resolveOptionsFrom(flags),
    );
    const request = {
      bin: options.bin,
      backend: BACKENDS[spec.family],
      file: resolvePath(file),
      keyDirs: flags.keys === undefined ? [] : [resolvePath(flags.keys)],
      verify: flags.verify,
    };
    write(await runInspect(request, reporterFor(program)));
  });

  if (options.build) {
    const build = options.build;
    addRepositoryAccessOptions(
      addVariantOptions(
        program
          .command(build.verb)
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
            '--fixture',
            "use the offline fixture repository instead of the variant's mirrors (without it, only a build whose mirrors are all out of reach and not cached falls back to it)",
          ),
      ),
    ).action(async (flags: VariantOptions & IsoFlags & { fixture?: boolean }) => {
      assertHost(await checkHost(requirementsFor('build')));
      const reporter = reporterFor(program);
      let spec = await loadVariantForCli(
        flags.variantFile ?? options.variant,
        resolveOptionsFrom(flags),
      );
      const choice = await repositoryChoice(spec, flags);
      if (choice.origin === 'fixture') {
        reporter.warn(
          `building from the OFFLINE FIXTURE repository ${build.fixture.repos.join(', ')}${choice.reason === undefined ? '' : ` because ${choice.reason}`}\nthe result is not ${spec.name} from its real mirrors; the build report says so`,
        );
        spec = await loadVariantForCli(flags.variantFile ?? options.variant, {
          ...resolveOptionsFrom(flags),
          // Named after the variant's repositories they stand in for, so the report reads alike.
          repositories: build.fixture.repos.map((url, index) => ({
            url,
            keysDir: build.fixture.keys,
            name: spec.repositories[index]?.name ?? `fixture-${index + 1}`,
          })),
        });
      }
      const report = await runIsoBuild(
        spec,
        { ...flags, debug: program.opts<{ debug?: boolean }>().debug === true },
        reporter,
        choice.origin,
      );
      const iso = report.artifacts[0];
      write(`${iso?.file ?? ''} ${iso?.sha256 ?? ''}\n`);
    });
  }

  program
    .command('doctor')
    .description(
      'check that this host has the tools a command needs, and name the Debian packages to install',
    )
    .addOption(
      new Option(
        '--for <use>',
        "which command's tools: build (the ISO build), run (boot the ISO in QEMU), test (the test suite, which also builds and boots), bench (the benchmarks)",
      )
        .choices(HOST_USES)
        .default('build'),
    )
    .option('--json', 'print JSON instead of a list')
    .action(async (flags: { for: HostUse; json?: boolean }) => {
      const report = await runDoctor(flags.for);
      write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeDoctor(report)}\n`);
      assertDoctor(report);
    });

  return program;
}

function reporterFor(program: Command): Reporter {
  const { debug, logFormat } = program.opts<{
    debug?: boolean;
    logFormat: 'auto' | 'plain' | 'json';
  }>();
  const mode = logFormat === 'auto' ? detectReporterMode({}) : logFormat;
  return createReporter({ mode, debug: debug === true });
}

/**
 * Which repositories a build reads. Only when the flags leave it open are the variant's mirrors
 * probed, and only their being out of reach altogether sends the build to the fixture.
 */
async function repositoryChoice(
  spec: VariantSpec,
  flags: RepositoryFlags & RepositoryAccessOptions,
): Promise<{ origin: RepositoryOrigin; reason?: string }> {
  const origin = originFromFlags(flags);
  if (origin !== undefined) return { origin };
  const probes = await probeRepositories(spec, {
    downloadsDir: downloadsDirOf(cacheDirFrom(flags)),
  });
  return chooseRepositories(probes);
}

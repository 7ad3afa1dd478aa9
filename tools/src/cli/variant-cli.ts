import { Command, Option } from 'commander';
import type { BuiltinVariant } from '@levitate/distro-spec';
import type { HostToolId } from '../core/host-tools.ts';
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
  readonly hostTools: readonly HostToolId[];
  /** Where command output goes; stdout by default. */
  readonly write?: (text: string) => void;
}

/** The command-line program shared by the builders: one variant, the same verbs. */
export function createVariantCli(options: VariantCliOptions): Command {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const program = new Command(options.bin)
    .description(options.summary)
    .version(options.version)
    .addOption(new Option('--debug', 'echo external commands and show stack traces'))
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

  program
    .command('doctor')
    .description(
      'check that this host has every tool a build needs, and name the packages to install',
    )
    .option('--json', 'print JSON instead of a list')
    .action(async (flags: { json?: boolean }) => {
      const report = await runDoctor(options.hostTools);
      write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeDoctor(report)}\n`);
      assertDoctor(report);
    });

  return program;
}

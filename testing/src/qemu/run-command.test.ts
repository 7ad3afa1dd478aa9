import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunCommand } from './run-command.ts';

describe('run without a built ISO', () => {
  it.each([
    ['acorn', 'acorn', 'acorn:iso'],
    ['iuppiter', 'iuppiter', 'iuppiter:iso'],
    ['leviso', 'levitate', 'leviso:build'],
  ])('%s names the nx task that builds it', async (bin, variant, task) => {
    const program = addRunCommand(new Command(bin).exitOverride(), variant);
    await expect(
      program.parseAsync(['run', '--iso', '/nonexistent/x.iso'], { from: 'user' }),
    ).rejects.toMatchObject({ code: 'run-no-iso', hint: `build it first: npx nx run ${task}` });
  });
});

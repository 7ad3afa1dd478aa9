import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunCommand } from './run-command.ts';

describe('run without a built ISO', () => {
  it.each([
    ['acorn', 'acorn:iso'],
    ['iuppiter', 'iuppiter:iso'],
    ['levitate', 'leviso:build'],
  ])('%s names the nx task that builds it', async (variant, buildTask) => {
    const program = addRunCommand(new Command('x').exitOverride(), { variant, buildTask });
    await expect(
      program.parseAsync(['run', '--iso', '/nonexistent/x.iso'], { from: 'user' }),
    ).rejects.toMatchObject({
      code: 'run-no-iso',
      hint: `build it first: npx nx run ${buildTask}`,
    });
  });
});

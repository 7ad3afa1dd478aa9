import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { WORKSPACE_ROOT } from './fixtures.ts';

const FIXTURE = join(WORKSPACE_ROOT, 'tools', 'src', 'test-support', 'reference-fixture');
const PROJECT = 'tools/src/test-support/reference-fixture';
const runner = createRunner();

/** vitest on gated.check.ts in a clean environment plus `env`: its exit code and stdout. */
async function runGated(env: Record<string, string>) {
  const vitest = join(WORKSPACE_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(FIXTURE, 'vitest.config.ts');
  const argv = [process.execPath, vitest, 'run', '--root', WORKSPACE_ROOT, '--config', config];
  const result = await runner.run([...argv, '--dir', FIXTURE], {
    cwd: WORKSPACE_ROOT,
    env: { NO_COLOR: '1', ...env },
    allowExitCodes: [1],
    timeoutMs: 110_000,
  });
  return { exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` };
}

describe('a run with suites gated on a missing reference', () => {
  it('skips them locally and lists each with what it needs, apart from other skips', async () => {
    const { exitCode, output } = await runGated({});
    expect(exitCode, output).toBe(0);
    expect(output).not.toContain('ran without its reference');
    const lines = output.split('\n');
    const listed = lines.slice(
      lines.indexOf(
        'Skipped for want of a reference (CI or LEVITATE_REQUIRE_REFERENCE=1 makes these fail):',
      ),
    );
    expect(listed.slice(1, 3).sort()).toEqual([
      `  ${PROJECT}/gated.check.ts > a suite without its reference (2 tests): needs a reference no host has; install the missing thing`,
      `  ${PROJECT}/gated.check.ts > a test without its reference (1 test): needs a reference no host has; install the missing thing`,
    ]);
    expect(lines).toContain('Skipped:');
    expect(lines).toContain(`  ${PROJECT}/gated.check.ts > a test skipped for another reason`);
    expect(lines).toContain(`tests: ${PROJECT} 1 run, 4 skipped (3 for want of a reference)`);
  });

  it.each<Record<string, string>>([
    { CI: 'true' },
    { CI: '1', LEVITATE_REQUIRE_REFERENCE: '0' },
    { LEVITATE_REQUIRE_REFERENCE: '1' },
  ])('fails them under %o, naming the suite, what is missing and what to do', async (env) => {
    const { exitCode, output } = await runGated(env);
    expect(exitCode, output).toBe(1);
    expect(output).not.toContain('ran without its reference');
    expect(output).toContain(
      'MissingReferenceError: "a suite without its reference" needs a reference no host has, which this host lacks: install the missing thing.',
    );
    expect(output).toContain(
      'MissingReferenceError: "a test without its reference" needs a reference no host has, which this host lacks: install the missing thing.',
    );
    expect(output).toContain(
      `  ${PROJECT}/gated.check.ts > a suite without its reference > needs a reference no host has: install the missing thing`,
    );
    expect(output).toContain(`tests: ${PROJECT} 3 run, 2 failed, 1 skipped`);
  });
});

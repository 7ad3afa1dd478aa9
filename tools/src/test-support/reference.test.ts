import { describe, expect, it } from 'vitest';
import {
  builtOutput,
  hostProgram,
  missingReferenceError,
  reference,
  referenceMode,
  referencesRequired,
} from './reference.ts';

describe('references', () => {
  it.each([
    [{}, false],
    [{ CI: '' }, false],
    [{ CI: 'false' }, false],
    [{ CI: '0' }, false],
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: 'woodpecker' }, true],
    [{ LEVITATE_REQUIRE_REFERENCE: '1' }, true],
    [{ LEVITATE_REQUIRE_REFERENCE: '0' }, false],
    [{ CI: 'true', LEVITATE_REQUIRE_REFERENCE: '0' }, true],
  ])('are required under %o: %s', (env, required) => {
    expect(referencesRequired(env)).toBe(required);
  });

  it('are available when every condition is met, and say what to do about the others', () => {
    const here = { met: true, hint: 'nothing to do' };
    expect(reference('a tool', [here])).toEqual({ needs: 'a tool', available: true, hint: '' });
    const missing = reference('a tool', [
      here,
      hostProgram(['/nonexistent/a', '/nonexistent/b'], 'tool-pkg'),
      builtOutput('/nonexistent/repo', 'testing:apk-repo'),
    ]);
    expect(missing).toEqual({
      needs: 'a tool',
      available: false,
      hint:
        'install the Debian package tool-pkg for /nonexistent/a (bash .ci/setup does); ' +
        'build /nonexistent/repo with npx nx run testing:apk-repo',
    });
    expect(hostProgram(['/nonexistent/a', process.execPath], 'node').met).toBe(true);
  });

  it('run where available, else fail where required and are skipped elsewhere', () => {
    const present = reference('a tool', []);
    const absent = reference('a tool', [{ met: false, hint: 'install it' }]);
    expect(referenceMode(present, { CI: 'true' })).toBe('run');
    expect(referenceMode(absent, { CI: 'true' })).toBe('fail');
    expect(referenceMode(absent, { LEVITATE_REQUIRE_REFERENCE: '1' })).toBe('fail');
    expect(referenceMode(absent, {})).toBe('skip');
    expect(missingReferenceError('a suite', absent).message).toBe(
      '"a suite" needs a tool, which this host lacks: install it. References are required here ' +
        '(CI or LEVITATE_REQUIRE_REFERENCE=1), so this fails instead of skipping.',
    );
  });
});

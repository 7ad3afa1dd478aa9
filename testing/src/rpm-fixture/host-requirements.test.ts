import { describe, expect, it } from 'vitest';
import { HOST_TOOLS, requirementsFor } from '@levitate/tools';
import { APK_FIXTURE_TOOLS } from '../apk-fixture/host-requirements.ts';
import { INSTALL_ISO_TOOLS, RPM_FIXTURE_TOOLS } from './host-requirements.ts';

describe('the fixture host checks', () => {
  it.each([
    ['RPM fixture', RPM_FIXTURE_TOOLS],
    ['install ISO', INSTALL_ISO_TOOLS],
    ['APK fixture', APK_FIXTURE_TOOLS],
  ])('%s asks for tools as the registry lists them for the tests', (_name, requirements) => {
    expect(requirements.length).toBeGreaterThan(0);
    expect(requirementsFor('test')).toEqual(expect.arrayContaining([...requirements]));
  });

  it('names the same Debian package for gpg as the registry', () => {
    const gpg = RPM_FIXTURE_TOOLS.find(
      (requirement) => requirement.kind === 'command' && requirement.command === 'gpg',
    );
    expect(gpg?.debianPackage).toBe(HOST_TOOLS.gpg.debianPackage);
  });
});

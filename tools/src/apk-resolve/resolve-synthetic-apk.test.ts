import { expect, it } from 'vitest';
import { resolveApk } from './resolve.ts';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { addUnsignedRepository, simulateAdd } from '../test-support/alpine-apk.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { ALPINE_316_CHROOT } from './test-support/index-fixture.ts';
import { scenarioIndexTexts, scenarioIndexes } from './test-support/scenario-indexes.ts';
import { SCENARIOS } from './test-support/scenarios.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

describeWithReference(APK, 'small repositories against Alpine apk 2.14', () => {
  const chroot = useAlpineChroot(ALPINE_316_CHROOT);

  SCENARIOS.forEach((scenario, n) => {
    it(scenario.title, async () => {
      const repositories: string[] = [];
      for (const [r, text] of scenarioIndexTexts(scenario).entries()) {
        repositories.push(await addUnsignedRepository(chroot(), `scenario${n}-${r}`, text));
      }
      const apk = await simulateAdd(chroot(), scenario.request, repositories);
      const theirs =
        apk.exitCode === 0 ? apk.installed.map((p) => `${p.name}-${p.version}`) : 'error';
      expect(theirs, apk.output).toEqual(scenario.apk);

      let ours: string[] | 'error';
      try {
        ours = resolveApk(scenarioIndexes(scenario), scenario.request, {
          arch: 'x86_64',
        }).packages.map((p) => `${p.name}-${p.version}`);
      } catch {
        ours = 'error';
      }
      if (scenario.difference === undefined) {
        expect(ours).toEqual(theirs);
      } else {
        expect(ours).not.toEqual(theirs);
        expect(ours).toEqual(scenario.ours);
      }
    });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveApk } from './resolve.ts';
import { createAlpineRoot } from './test-support/alpine-root.ts';
import { alpineChrootReference } from '../apk/alpine-chroot.support.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import type { AlpineRoot } from './test-support/alpine-root.ts';
import { scenarioIndexTexts, scenarioIndexes } from './test-support/scenario-indexes.ts';
import { SCENARIOS } from './test-support/scenarios.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

describeWithReference(APK, 'small repositories against Alpine apk 2.14', () => {
  let root: AlpineRoot;

  beforeAll(async () => {
    root = await createAlpineRoot();
  }, 60_000);

  afterAll(async () => {
    await root?.remove();
  });

  SCENARIOS.forEach((scenario, n) => {
    it(scenario.title, async () => {
      const repositories: string[] = [];
      for (const [r, text] of scenarioIndexTexts(scenario).entries()) {
        repositories.push(await root.addRepository(`scenario${n}-${r}`, text));
      }
      const apk = await root.apkAdd(scenario.request, repositories);
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

import type { ApkIndexInput } from '../catalog.ts';
import { parseApkIndexText } from '../parse-index.ts';
import type { Scenario } from './scenarios.ts';
import { syntheticIndexText } from './synthetic-index.ts';

/** The scenario's repositories as index text, one per repository, with distinct `C:` lines. */
export function scenarioIndexTexts(scenario: Scenario): string[] {
  return scenario.repositories.map((packages, n) => syntheticIndexText(packages, n));
}

export function scenarioIndexes(scenario: Scenario): ApkIndexInput[] {
  return scenarioIndexTexts(scenario).map((text, n) => ({
    repository: `repo${n}`,
    records: parseApkIndexText(text, { repository: `repo${n}`, file: `repo${n}/APKINDEX` }),
  }));
}

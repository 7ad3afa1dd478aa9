import { loadRpmRepository, localRepoSource } from '../../rpm-repo/index.ts';
import type { RpmRepository } from '../../rpm-repo/index.ts';
import { fixture } from '../../test-support/fixtures.ts';

/** The CentOS Stream 9 BaseOS x86_64 metadata of the shared fixtures. */
export function centosBaseOsDir(): string {
  return fixture('repodata', 'centos-stream-9-baseos-x86_64');
}

let loading: Promise<RpmRepository> | undefined;

/** CentOS Stream 9 BaseOS, every architecture, loaded once per test file. */
export function loadCentosBaseOs(): Promise<RpmRepository> {
  loading ??= loadRpmRepository(localRepoSource(centosBaseOsDir()), {
    name: 'c9s',
    priority: 99,
    requireSignature: false,
  });
  return loading;
}

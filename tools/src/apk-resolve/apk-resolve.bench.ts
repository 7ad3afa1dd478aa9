import { bench, describe } from 'vitest';
import { parseApkIndexText } from './parse-index.ts';
import { createApkResolver, resolveApk } from './resolve.ts';
import { INSTALLABLE_SETS } from './test-support/alpine-sets.ts';
import { readApkIndexTextFixture } from './test-support/index-fixture.ts';

const SOURCE = { repository: 'alpine/v3.16/main', file: 'APKINDEX' };
const text = readApkIndexTextFixture();
const records = parseApkIndexText(text, SOURCE);
const indexes = [{ repository: SOURCE.repository, records }];
const options = { arch: 'x86_64' };

describe('Alpine 3.16 main index (4929 packages)', () => {
  bench('parse the APKINDEX text', () => {
    parseApkIndexText(text, SOURCE);
  });

  bench('prepare a resolver', () => {
    createApkResolver(indexes, options);
  });

  bench('prepare and resolve alpine-base', () => {
    resolveApk(indexes, ['alpine-base'], options);
  });
});

describe('resolve with a prepared resolver', () => {
  const resolver = createApkResolver(indexes, options);
  for (const request of INSTALLABLE_SETS) {
    bench(request.join(' '), () => {
      resolver.resolve(request);
    });
  }
});

import { createReadStream } from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { RepoSource } from '../rpm-repo/index.ts';

/**
 * Repository metadata read through the fetcher, so that remote repositories are cached and
 * retried like packages, and trees inside ISO images (`file:///srv/Rocky.iso#BaseOS`) are read
 * from the image. A file the mirror does not have is reported as missing (ENOENT),
 * which the metadata reader understands (e.g. an absent repomd.xml.asc).
 */
export function fetchedRepoSource(url: string, fetcher: Fetcher, label: string): RepoSource {
  const mirror = url.endsWith('/') ? url : `${url}/`;
  return {
    url: mirror,
    async open(relativePath) {
      try {
        const result = await fetcher.fetch({
          mirrors: [mirror],
          path: relativePath,
          label: `${label} ${relativePath}`,
        });
        return createReadStream(result.file);
      } catch (error) {
        if (
          error instanceof UserError &&
          (error.code === 'fetch-not-found' || error.code === 'fetch-offline-miss')
        ) {
          throw Object.assign(new Error(error.message, { cause: error }), { code: 'ENOENT' });
        }
        throw error;
      }
    },
  };
}

/** Checking a fetch request and working out where its file may be found. */

import { UserError } from '../core/errors.ts';
import type { Digest } from '../packages/model.ts';
import { normaliseDigest } from './digest.ts';
import { locate, parseMirror, splitRelativePath } from './mirrors.ts';
import type { Location } from './mirrors.ts';
import type { FetchRequest } from './types.ts';

export interface FetchPlan {
  readonly label: string;
  readonly path: string;
  /** The request's locations, one per mirror, in the order given. */
  readonly locations: readonly [Location, ...Location[]];
  readonly digest?: Digest;
  readonly size?: number;
}

export function planFetch(request: FetchRequest): FetchPlan {
  const label = request.label ?? request.path;
  const segments = splitRelativePath(request.path);
  const [first, ...rest] = request.mirrors.map((mirror) => locate(parseMirror(mirror), segments));
  if (first === undefined) {
    throw new UserError('fetch-no-mirror', `${label}: no mirror to fetch ${request.path} from`, {
      hint: 'give the repository at least one URL or directory',
    });
  }
  const size = request.expected?.size;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new UserError('fetch-bad-size', `${label}: ${size} is not a file size`, {
      hint: 'the repository metadata is damaged; fetch it again',
    });
  }
  const expectedDigest = request.expected?.digest;
  return {
    label,
    path: request.path,
    locations: [first, ...rest],
    digest: expectedDigest === undefined ? undefined : normaliseDigest(expectedDigest, label),
    size,
  };
}

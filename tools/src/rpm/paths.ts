import { UnsafeEntryError } from '../packages/errors.ts';
import { problemOf, type RpmContext } from './context.ts';

/**
 * The normalised image path of a file name from a header or a cpio member: absolute, empty and
 * `.` components dropped, no trailing slash. Names of source packages are relative (`foo.spec`)
 * and land under `/`. A `..` component is refused: it could only serve to escape the image.
 */
export function normaliseEntryPath(raw: string, context: RpmContext): string {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      throw new UnsafeEntryError(problemOf(context, `entry path "${raw}" has a ".." component`));
    }
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

import { InternalError } from '../core/errors.ts';
import { MetadataMissingError } from './problem.ts';
import type { RepomdData } from './repomd-parse.ts';

/**
 * The entries repomd.xml lists for any of `types`, in the order of `types`: the forms of one
 * kind of metadata (`group_xz`, `group_gz`, `group`), preferred first.
 */
export function listedForms(data: readonly RepomdData[], types: readonly string[]): RepomdData[] {
  return types.flatMap((type) => data.filter((entry) => entry.type === type));
}

/**
 * Reads the first of `forms` whose file the repository has. A form that is listed but missing
 * is passed over for the next one; any other failure (a checksum mismatch, a broken file) stops
 * the search, so a damaged file is never hidden behind another copy. When every form is
 * missing, the error names them all.
 */
export async function readFirstPresent<T>(
  forms: readonly RepomdData[],
  what: { readonly repository: string; readonly kind: string },
  read: (entry: RepomdData) => Promise<T>,
): Promise<T> {
  if (forms.length === 0) throw new InternalError(`no forms of ${what.kind} to read`);
  const missing: MetadataMissingError[] = [];
  for (const entry of forms) {
    try {
      return await read(entry);
    } catch (error) {
      if (!(error instanceof MetadataMissingError)) throw error;
      missing.push(error);
    }
  }
  const [first] = missing;
  if (missing.length === 1 && first !== undefined) throw first;
  throw new MetadataMissingError(
    {
      repository: what.repository,
      kind: `${what.kind} (${forms.map((entry) => entry.type).join(', ')})`,
      file: missing.map((error) => error.file).join(' and '),
    },
    { cause: first },
  );
}

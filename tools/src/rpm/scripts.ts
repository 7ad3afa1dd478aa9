/**
 * Scriptlets and triggers.
 *
 * A plain scriptlet is a body tag (PREIN, POSTIN, ...) and a program tag (PREINPROG, ...): the
 * interpreter and its arguments, a STRING in old packages and a STRING_ARRAY in newer ones;
 * `<lua>` names rpm's embedded Lua. A scriptlet with only a program (`%post -p /sbin/ldconfig`)
 * has an empty body. When no program is stored rpm runs the body with /bin/sh; the interpreter
 * is then left undefined here, as stored.
 *
 * Triggers keep their scripts in parallel arrays (TRIGGERSCRIPTS, TRIGGERSCRIPTPROG) and their
 * conditions in dependency-like arrays (TRIGGERNAME, TRIGGERFLAGS, TRIGGERVERSION) plus
 * TRIGGERINDEX, which says which script each condition fires. The kind of trigger (in, un,
 * postun, prein) is in the condition flags. File triggers and transaction file triggers use the
 * same layout with their own tags; their conditions are path prefixes.
 */

import type { PackageScript } from '../packages/model.ts';
import { malformedRpm, type RpmContext } from './context.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import { readDependencyArrays, RpmSense } from './dependencies.ts';
import type { HeaderBlob } from './header-blob.ts';
import { Tag } from './tags.ts';

const SCRIPTLETS: readonly (readonly [phase: string, body: number, program: number])[] = [
  ['pretrans', Tag.PRETRANS, Tag.PRETRANSPROG],
  ['pre-install', Tag.PREIN, Tag.PREINPROG],
  ['post-install', Tag.POSTIN, Tag.POSTINPROG],
  ['pre-uninstall', Tag.PREUN, Tag.PREUNPROG],
  ['post-uninstall', Tag.POSTUN, Tag.POSTUNPROG],
  ['posttrans', Tag.POSTTRANS, Tag.POSTTRANSPROG],
  ['preuntrans', Tag.PREUNTRANS, Tag.PREUNTRANSPROG],
  ['postuntrans', Tag.POSTUNTRANS, Tag.POSTUNTRANSPROG],
  ['verify', Tag.VERIFYSCRIPT, Tag.VERIFYSCRIPTPROG],
];

interface TriggerTags {
  readonly prefix: string;
  readonly scripts: number;
  readonly programs: number;
  readonly condition: readonly [number, number, number];
  readonly index: number;
}

const TRIGGERS: readonly TriggerTags[] = [
  {
    prefix: 'trigger',
    scripts: Tag.TRIGGERSCRIPTS,
    programs: Tag.TRIGGERSCRIPTPROG,
    condition: [Tag.TRIGGERNAME, Tag.TRIGGERFLAGS, Tag.TRIGGERVERSION],
    index: Tag.TRIGGERINDEX,
  },
  {
    prefix: 'file-trigger',
    scripts: Tag.FILETRIGGERSCRIPTS,
    programs: Tag.FILETRIGGERSCRIPTPROG,
    condition: [Tag.FILETRIGGERNAME, Tag.FILETRIGGERFLAGS, Tag.FILETRIGGERVERSION],
    index: Tag.FILETRIGGERINDEX,
  },
  {
    prefix: 'transfile-trigger',
    scripts: Tag.TRANSFILETRIGGERSCRIPTS,
    programs: Tag.TRANSFILETRIGGERSCRIPTPROG,
    condition: [Tag.TRANSFILETRIGGERNAME, Tag.TRANSFILETRIGGERFLAGS, Tag.TRANSFILETRIGGERVERSION],
    index: Tag.TRANSFILETRIGGERINDEX,
  },
];

function triggerKind(flags: number): string {
  if ((flags & RpmSense.TRIGGERPREIN) !== 0) return 'prein';
  if ((flags & RpmSense.TRIGGERUN) !== 0) return 'un';
  if ((flags & RpmSense.TRIGGERPOSTUN) !== 0) return 'postun';
  return 'in';
}

function script(
  phase: string,
  body: string,
  interpreter: string | undefined,
  triggers?: string[],
): PackageScript {
  return {
    phase,
    ...(interpreter === undefined || interpreter === '' ? {} : { interpreter }),
    body,
    ...(triggers === undefined ? {} : { triggers }),
  };
}

function readTriggers(header: HeaderBlob, tags: TriggerTags, context: RpmContext): PackageScript[] {
  const bodies = header.strings(tags.scripts);
  if (bodies === undefined) return [];
  const programs = header.strings(tags.programs);
  const conditions = readDependencyArrays(header, tags.condition, context);
  const indexes = header.numbers(tags.index) ?? [];
  if (
    indexes.length !== conditions.length ||
    (programs !== undefined && programs.length !== bodies.length)
  ) {
    throw malformedRpm(context, `${tags.prefix} tags have different lengths`);
  }
  const fired: string[][] = bodies.map(() => []);
  const kinds: (string | undefined)[] = bodies.map(() => undefined);
  conditions.forEach((condition, position) => {
    const target = indexes[position] ?? 0;
    const list = fired[target];
    if (list === undefined) {
      throw malformedRpm(
        context,
        `${tags.prefix} condition ${position} points to missing script ${target}`,
      );
    }
    list.push(formatDependency(condition));
    kinds[target] ??= triggerKind(condition.sense ?? 0);
  });
  return bodies.map((body, index) =>
    script(`${tags.prefix}-${kinds[index] ?? 'in'}`, body, programs?.[index], fired[index] ?? []),
  );
}

/** Every scriptlet and trigger of the package, plain scriptlets first in the order rpm runs them. */
export function readScripts(header: HeaderBlob, context: RpmContext): PackageScript[] {
  const out: PackageScript[] = [];
  for (const [phase, bodyTag, programTag] of SCRIPTLETS) {
    const body = header.string(bodyTag);
    const program = header.strings(programTag);
    if (body === undefined && program === undefined) continue;
    out.push(script(phase, body ?? '', program?.join(' ')));
  }
  for (const tags of TRIGGERS) out.push(...readTriggers(header, tags, context));
  return out;
}

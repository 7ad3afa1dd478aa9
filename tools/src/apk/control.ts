import type { PackageScript } from '../packages/model.ts';
import { PackageFormatError } from '../packages/errors.ts';
import { tarEntriesOf, tarLimitsFor } from './apk-head.ts';
import type { ApkLimits, ApkSource } from './limits.ts';
import { parsePkginfo } from './pkginfo.ts';
import type { ApkPackageInfo } from './pkginfo.ts';
import { decodeUtf8 } from './tar-header.ts';

/** Control files that apk runs, by the phase they run in, in the order they are reported. */
const SCRIPT_PHASES: readonly (readonly [string, string])[] = [
  ['.pre-install', 'pre-install'],
  ['.post-install', 'post-install'],
  ['.pre-upgrade', 'pre-upgrade'],
  ['.post-upgrade', 'post-upgrade'],
  ['.pre-deinstall', 'pre-deinstall'],
  ['.post-deinstall', 'post-deinstall'],
  ['.trigger', 'trigger'],
];

export interface ApkControl {
  readonly info: ApkPackageInfo;
  readonly scripts: readonly PackageScript[];
}

function script(phase: string, body: string, info: ApkPackageInfo): PackageScript {
  const firstLine = body.split('\n', 1)[0] ?? '';
  const interpreter = firstLine.startsWith('#!') ? firstLine.slice(2).trim() : '';
  return {
    phase,
    ...(interpreter === '' ? {} : { interpreter }),
    body,
    ...(phase === 'trigger' ? { triggers: info.triggers } : {}),
  };
}

/** Reads `.PKGINFO` and the install scripts out of the inflated control archive. */
export async function readControl(
  content: Uint8Array,
  source: ApkSource,
  limits: ApkLimits,
): Promise<ApkControl> {
  const entries = await tarEntriesOf(
    content,
    source,
    tarLimitsFor(limits, limits.maxControlFileBytes),
  );
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const name = entry.name.replace(/^(\.\/)+/, '');
    if (!name.startsWith('.') || name.includes('/')) {
      throw new PackageFormatError({
        ...source,
        message: `the control member holds ${JSON.stringify(entry.name)}, which is not a control file`,
      });
    }
    if (entry.kind !== 'file') {
      continue;
    }
    if (files.has(name)) {
      throw new PackageFormatError({
        ...source,
        message: `the control member holds ${name} twice`,
      });
    }
    files.set(name, entry.content ?? new Uint8Array());
  }
  const pkginfo = files.get('.PKGINFO');
  if (pkginfo === undefined) {
    throw new PackageFormatError({ ...source, message: 'no .PKGINFO in the control member' });
  }
  if (pkginfo.length > limits.maxPkginfoBytes) {
    throw new PackageFormatError({
      ...source,
      message: `.PKGINFO is ${pkginfo.length} bytes, more than the ${limits.maxPkginfoBytes} allowed`,
    });
  }
  const info = parsePkginfo(decodeUtf8(pkginfo, source, '.PKGINFO'), source);
  const scripts = SCRIPT_PHASES.flatMap(([file, phase]) => {
    const body = files.get(file);
    return body === undefined ? [] : [script(phase, Buffer.from(body).toString('utf8'), info)];
  });
  return { info, scripts };
}

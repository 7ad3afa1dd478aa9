import { DIST } from './package-spec.ts';

/** An RPM epoch, version and release for a package made from a Debian one. */
export interface RpmEvr {
  readonly epoch?: number;
  readonly version: string;
  readonly release: string;
}

/** Characters rpm accepts in Version and Release other than alphanumerics. */
function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9._+~^]/g, '.');
}

/**
 * The RPM version of a Debian version: the epoch kept, the upstream version as Version, the
 * Debian revision plus `.el10` as Release. `1:4.13+dfsg1-1+deb12u2` becomes epoch 1, `4.13+dfsg1`,
 * `1+deb12u2.el10`; a native version gets release `0.el10`.
 */
export function rpmEvrOf(debianVersion: string): RpmEvr {
  const epochMatch = /^(\d+):/.exec(debianVersion);
  const withoutEpoch = debianVersion.slice(epochMatch?.[0].length ?? 0);
  const dash = withoutEpoch.lastIndexOf('-');
  const upstream = dash < 0 ? withoutEpoch : withoutEpoch.slice(0, dash);
  const revision = dash < 0 ? '0' : withoutEpoch.slice(dash + 1);
  const epoch = epochMatch?.[1] === undefined ? undefined : Number(epochMatch[1]);
  return {
    ...(epoch === undefined || epoch === 0 ? {} : { epoch }),
    version: sanitize(upstream),
    release: `${sanitize(revision)}.${DIST}`,
  };
}

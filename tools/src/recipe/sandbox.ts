/** The unprivileged build user that recipe commands run as, and their network. */
export interface Sandbox {
  /** Owner given to the build folder and `$OUT`, so that the build user can write them. */
  readonly uid: number;
  readonly gid: number;
  /** The argument vector that runs `argv` as the build user, without network unless allowed. */
  wrap(argv: readonly string[], options: { readonly network: boolean }): string[];
}

/** `nobody`: owns nothing on the system, so a build can harm nothing but its own folders. */
export const BUILD_USER = Object.freeze({ uid: 65534, gid: 65534 });

/**
 * As root: commands drop to the build user (setpriv, no supplementary groups, no capabilities)
 * and, outside `acquire`, run in a network namespace of their own with nothing in it
 * (unshare --net). As another user: commands run as that user, outside `acquire` in a user and
 * network namespace of their own. Either way they run in a PID namespace of their own, so that
 * nothing they start outlives them: when the command ends, the kernel kills what is left, and
 * no process of the build can change its folders while they are read.
 */
export function createSandbox(user: { uid: number; gid: number } = BUILD_USER): Sandbox {
  const root = process.getuid?.() === 0;
  if (!root) {
    const uid = process.getuid?.() ?? user.uid;
    const gid = process.getgid?.() ?? user.gid;
    return {
      uid,
      gid,
      wrap: (argv, { network }) => [
        'unshare',
        '--user',
        '--map-current-user',
        '--pid',
        '--fork',
        ...(network ? [] : ['--net']),
        '--',
        ...argv,
      ],
    };
  }
  const drop = [
    'setpriv',
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--',
  ];
  return {
    uid: user.uid,
    gid: user.gid,
    wrap: (argv, { network }) => [
      'unshare',
      '--pid',
      '--fork',
      ...(network ? [] : ['--net']),
      '--',
      ...drop,
      ...argv,
    ],
  };
}

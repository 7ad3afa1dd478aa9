import { describe, expect, it } from 'vitest';
import { parseAccountCommand } from './account-commands.ts';

describe('parseAccountCommand', () => {
  it('reads busybox addgroup/adduser lines in their usual shapes', () => {
    expect(parseAccountCommand('addgroup -S -g 42 shadow 2>/dev/null')).toEqual({
      kind: 'addgroup',
      name: 'shadow',
      system: true,
      gid: 42,
    });
    expect(
      parseAccountCommand('/usr/sbin/addgroup nginx www-data >/dev/null 2>&1 || true'),
    ).toEqual({ kind: 'add-member', user: 'nginx', group: 'www-data' });
    expect(
      parseAccountCommand(
        `adduser -SDH -u 100 -h /var/lib/x -s /sbin/nologin -G x -g 'X daemon' x;`,
      ),
    ).toEqual({
      kind: 'adduser',
      name: 'x',
      system: true,
      uid: 100,
      group: 'x',
      home: '/var/lib/x',
      shell: '/sbin/nologin',
      gecos: 'X daemon',
      noPassword: true,
      noHome: true,
    });
    expect(
      parseAccountCommand('busybox adduser --system --ingroup=www --no-create-home web'),
    ).toMatchObject({ kind: 'adduser', name: 'web', group: 'www', noHome: true });
  });

  it('leaves alone what it cannot be sure of', () => {
    for (const line of [
      'adduser -S -D $USER',
      'addgroup -S foo && chown foo /x',
      'adduser -S -X foo',
      'addgroup -g 4x foo',
      'addgroup -g 1 a b',
      'if addgroup -S a; then',
      'chown root:shadow /etc/shadow',
      'addgroup "$(id -un)" wheel',
    ]) {
      expect(parseAccountCommand(line), line).toBeUndefined();
    }
  });
});

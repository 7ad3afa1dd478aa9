/** The text of the configuration files `setup`, `glibc` and `rootfiles` ship in the fixture. */

/** Rocky's low system accounts, and the D-Bus user that Debian's bus configuration names. */
const ACCOUNTS: readonly (readonly [string, number, number, string, string, string])[] = [
  ['root', 0, 0, 'root', '/root', '/bin/bash'],
  ['bin', 1, 1, 'bin', '/bin', '/sbin/nologin'],
  ['daemon', 2, 2, 'daemon', '/sbin', '/sbin/nologin'],
  ['adm', 3, 4, 'adm', '/var/adm', '/sbin/nologin'],
  ['lp', 4, 7, 'lp', '/var/spool/lpd', '/sbin/nologin'],
  ['sync', 5, 0, 'sync', '/sbin', '/bin/sync'],
  ['shutdown', 6, 0, 'shutdown', '/sbin', '/sbin/shutdown'],
  ['halt', 7, 0, 'halt', '/sbin', '/sbin/halt'],
  ['mail', 8, 12, 'mail', '/var/spool/mail', '/sbin/nologin'],
  ['operator', 11, 0, 'operator', '/root', '/sbin/nologin'],
  ['games', 12, 100, 'games', '/usr/games', '/sbin/nologin'],
  ['ftp', 14, 50, 'FTP User', '/var/ftp', '/sbin/nologin'],
  ['messagebus', 81, 81, 'System Message Bus', '/', '/sbin/nologin'],
  ['nobody', 65534, 65534, 'Kernel Overflow User', '/', '/sbin/nologin'],
];

const GROUPS: readonly (readonly [string, number])[] = [
  ['root', 0],
  ['bin', 1],
  ['daemon', 2],
  ['sys', 3],
  ['adm', 4],
  ['tty', 5],
  ['disk', 6],
  ['lp', 7],
  ['mem', 8],
  ['kmem', 9],
  ['wheel', 10],
  ['cdrom', 11],
  ['mail', 12],
  ['man', 15],
  ['dialout', 18],
  ['floppy', 19],
  ['games', 20],
  ['utmp', 22],
  ['tape', 33],
  ['video', 39],
  ['ftp', 50],
  ['lock', 54],
  ['audio', 63],
  ['messagebus', 81],
  ['users', 100],
  ['nobody', 65534],
];

/** Days since the epoch of the fixture's password changes. */
const LAST_CHANGE = 19_967;

export const PASSWD = ACCOUNTS.map(
  ([name, uid, gid, gecos, home, shell]) => `${name}:x:${uid}:${gid}:${gecos}:${home}:${shell}\n`,
).join('');

export const SHADOW = ACCOUNTS.map(([name]) => `${name}:*:${LAST_CHANGE}:0:99999:7:::\n`).join('');

export const GROUP = GROUPS.map(([name, gid]) => `${name}:x:${gid}:\n`).join('');

export const GSHADOW = GROUPS.map(([name]) => `${name}:::\n`).join('');

export const SHELLS = ['/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash', ''].join('\n');

export const HOSTS = [
  '127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4',
  '::1         localhost localhost.localdomain localhost6 localhost6.localdomain6',
  '',
].join('\n');

export const PROFILE = `# /etc/profile: login shells of every user (LevitateOS fixture).
# Functions and aliases belong in /etc/bashrc.

if [ "$(id -u)" -eq 0 ]; then
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
else
    PATH=/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin
fi
export PATH
HOSTNAME=$(cat /proc/sys/kernel/hostname 2>/dev/null)
HISTSIZE=1000
export HOSTNAME HISTSIZE
umask 022

for script in /etc/profile.d/*.sh; do
    if [ -r "$script" ]; then
        . "$script"
    fi
done
unset script

if [ -n "$BASH_VERSION" ] && [ -r /etc/bashrc ]; then
    . /etc/bashrc
fi
`;

export const BASHRC = `# /etc/bashrc: interactive bash shells of every user (LevitateOS fixture).

if [ -n "$PS1" ]; then
    PS1='[\\u@\\h \\W]\\$ '
    shopt -s checkwinsize
fi
`;

export const NSSWITCH_CONF = `# Name service switch of the LevitateOS fixture: local files, then systemd's dynamic users.
passwd:     files systemd
shadow:     files
group:      files systemd
hosts:      files myhostname dns
services:   files
protocols:  files
networks:   files
ethers:     files
rpc:        files
netgroup:   files
`;

export const ROOT_BASHRC = `# .bashrc of root (LevitateOS fixture)

alias rm='rm -i'
alias cp='cp -i'
alias mv='mv -i'

if [ -f /etc/bashrc ]; then
    . /etc/bashrc
fi
`;

export const ROOT_BASH_PROFILE = `# .bash_profile of root (LevitateOS fixture)

if [ -f ~/.bashrc ]; then
    . ~/.bashrc
fi
`;

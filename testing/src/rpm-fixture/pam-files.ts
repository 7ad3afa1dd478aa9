/**
 * The `/etc/pam.d/common-*` stacks that Debian's PAM configuration includes (`@include
 * common-auth`); Debian writes them at install time with pam-auth-update, the fixture ships
 * them. Local accounts only, and a logind session for every login.
 */
export const PAM_COMMON_FILES: readonly (readonly [string, string])[] = [
  [
    '/etc/pam.d/common-auth',
    '# Authentication of every PAM service (LevitateOS fixture).\n' +
      'auth\t[success=1 default=ignore]\tpam_unix.so nullok\n' +
      'auth\trequisite\t\t\tpam_deny.so\n' +
      'auth\trequired\t\t\tpam_permit.so\n',
  ],
  [
    '/etc/pam.d/common-account',
    '# Account checks of every PAM service (LevitateOS fixture).\n' +
      'account\t[success=1 new_authtok_reqd=done default=ignore]\tpam_unix.so\n' +
      'account\trequisite\t\t\tpam_deny.so\n' +
      'account\trequired\t\t\tpam_permit.so\n',
  ],
  [
    '/etc/pam.d/common-password',
    '# Password changes of every PAM service (LevitateOS fixture).\n' +
      'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n' +
      'password\trequisite\t\t\tpam_deny.so\n' +
      'password\trequired\t\t\tpam_permit.so\n',
  ],
  [
    '/etc/pam.d/common-session',
    '# Sessions of every interactive PAM service (LevitateOS fixture).\n' +
      'session\t[default=1]\t\t\tpam_permit.so\n' +
      'session\trequisite\t\t\tpam_deny.so\n' +
      'session\trequired\t\t\tpam_permit.so\n' +
      'session\trequired\t\t\tpam_unix.so\n' +
      'session\toptional\t\t\tpam_systemd.so\n',
  ],
  [
    '/etc/pam.d/common-session-noninteractive',
    '# Sessions of every non-interactive PAM service (LevitateOS fixture).\n' +
      'session\t[default=1]\t\t\tpam_permit.so\n' +
      'session\trequisite\t\t\tpam_deny.so\n' +
      'session\trequired\t\t\tpam_permit.so\n' +
      'session\trequired\t\t\tpam_unix.so\n',
  ],
];

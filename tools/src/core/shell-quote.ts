const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes an argument vector so it can be pasted into a POSIX shell. Meant for display only. */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((arg) => {
      if (arg === '') {
        return "''";
      }
      if (SAFE_WORD.test(arg)) {
        return arg;
      }
      return `'${arg.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}

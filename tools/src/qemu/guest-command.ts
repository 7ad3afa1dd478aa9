/** What a command typed on the guest's serial console did. */
export interface GuestResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The longest line busybox's line editor keeps (FEATURE_EDITING_MAX_LEN is 1024 with the newline). */
export const CONSOLE_LINE_LIMIT = 1023;

/**
 * The line typed on the console to run `command` in a subshell with stdin closed, stdout and
 * stderr in files under /tmp. Then it prints each file's size and base64 text after a marker
 * line, and the exit status last:
 *
 *     <tag>-OUT <bytes>   base64 of stdout
 *     <tag>-ERR <bytes>   base64 of stderr
 *     <tag>-STATUS <n>
 *
 * The markers are spelled through `$vm_k`, so the console's echo of the typed line never holds
 * one. Works in busybox ash and bash alike.
 */
export function guestCommandLine(command: string, tag: string): string {
  if (!/^[a-z0-9]+$/.test(tag))
    throw new Error(`a command tag is lower-case letters and digits: ${tag}`);
  if (/[\r\n]/.test(command)) throw new Error(`a console command is one line: ${command}`);
  const file = '$vm_f';
  const line = [
    `vm_f=/tmp/${tag}`,
    `( ${command} ) >${file}.out 2>${file}.err </dev/null`,
    'vm_s=$?',
    `vm_k=${tag}`,
    `echo "$vm_k-OUT $(wc -c <${file}.out)"`,
    `base64 ${file}.out`,
    `echo "$vm_k-ERR $(wc -c <${file}.err)"`,
    `base64 ${file}.err`,
    'echo "$vm_k-STATUS $vm_s"',
    `rm -f ${file}.out ${file}.err`,
  ].join('; ');
  if (line.length > CONSOLE_LINE_LIMIT) {
    throw new Error(
      `the console line for \`${command}\` has ${line.length} characters; the guest's line editor keeps ${CONSOLE_LINE_LIMIT}`,
    );
  }
  return line;
}

/** A kernel message with its time stamp, up to its newline; it may start in the middle of a line. */
const KERNEL_RECORD = /\[\s*\d+\.\d+\] [^\n]*\n/g;
/** A systemd status line (`[  OK  ] Mounted …`, `[ *** ] A start job is running …`). */
const SYSTEMD_STATUS = /\[\s*(?:OK|FAILED|DEPEND|TIME|WARN|INFO|\*+)\s*\] [^\n]*\n/g;
/** Terminal control sequences: colours, cursor moves, line erasing. */
const CONTROL_SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;
const BASE64_CHARS = /^[A-Za-z0-9+/=]+$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What the console printed, without what other writers to it put in between. */
function commandLines(transcript: string): string[] {
  return transcript
    .replace(CONTROL_SEQUENCE, '')
    .replace(KERNEL_RECORD, '')
    .replace(SYSTEMD_STATUS, '')
    .split('\n')
    .slice(0, -1)
    .map((line) => line.replaceAll('\r', ''));
}

/**
 * Reads the result of the command run by `guestCommandLine(…, tag)` from what the console
 * printed since it was typed; undefined until the status line has arrived. Kernel messages and
 * systemd status lines (which land anywhere, even inside a line), terminal control sequences,
 * carriage returns, the echo and prompts are set aside; the byte counts show that nothing of the
 * output was lost. Fails when it was, with what the console showed.
 */
export function readGuestResult(transcript: string, tag: string): GuestResult | undefined {
  const lines = commandLines(transcript);
  const marker = (name: string, before = lines.length) => {
    const pattern = new RegExp(`${tag}-${name} +(\\d+)(?!\\d)`);
    let index = -1;
    for (let at = 0; at < before; at++) if (pattern.test(lines[at] ?? '')) index = at;
    return { index, value: Number(pattern.exec(lines[index] ?? '')?.[1]) };
  };
  const status = marker('STATUS');
  if (status.index < 0) return undefined;
  const err = marker('ERR', status.index);
  const out = marker('OUT', Math.max(err.index, 0));
  if (!(out.index >= 0 && out.index < err.index)) {
    throw new Error(
      `the console shows ${tag}-STATUS without ${tag}-OUT and ${tag}-ERR before it:\n${tail(lines.join('\n'))}`,
    );
  }
  return {
    status: status.value,
    stdout: decode(lines.slice(out.index + 1, err.index), out.value, 'stdout'),
    stderr: decode(lines.slice(err.index + 1, status.index), err.value, 'stderr'),
  };
}

function decode(lines: readonly string[], size: number, stream: string): string {
  const text = lines.filter((line) => BASE64_CHARS.test(line)).join('');
  const bytes = BASE64_TEXT.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes?.length !== size) {
    throw new Error(
      `the console garbled the command's ${stream}: ${size} bytes were sent, ` +
        `${bytes === undefined ? 'no valid base64' : String(bytes.length)} arrived:\n${lines.join('\n')}`,
    );
  }
  return new TextDecoder().decode(bytes);
}

/** `result`'s stdout; fails with its status, stdout and stderr unless it exited 0. */
export function successfulStdout(result: GuestResult, what: string): string {
  if (result.status === 0) return result.stdout;
  throw new Error(
    `${what} exited ${result.status}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
  );
}

function tail(text: string): string {
  return text.length > 4000 ? `…${text.slice(-4000)}` : text;
}

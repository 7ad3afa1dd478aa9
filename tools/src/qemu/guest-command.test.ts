import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_LINE_LIMIT,
  guestCommandLine,
  readGuestResult,
  successfulStdout,
} from './guest-command.ts';

const TAG = 'vmtest1';

/** What a serial console shows for a finished command: the echo, CRLF lines, base64 wrapped at 76. */
function transcript(result: { status: number; stdout: string; stderr: string }): string[] {
  const base64 = (text: string) =>
    Buffer.from(text)
      .toString('base64')
      .match(/.{1,76}/g) ?? [];
  return [
    `# ${guestCommandLine('cmd', TAG)}`,
    `${TAG}-OUT ${Buffer.byteLength(result.stdout)}`,
    ...base64(result.stdout),
    `${TAG}-ERR ${Buffer.byteLength(result.stderr)}`,
    ...base64(result.stderr),
    `${TAG}-STATUS ${result.status}`,
    '# ',
  ];
}

const crlf = (lines: readonly string[]) => lines.join('\r\n');

describe('a command typed on the guest console', () => {
  it('reads a failing command: its status, and stdout apart from stderr', () => {
    const printed = { status: 3, stdout: 'out\n', stderr: 'err\n' };
    expect(readGuestResult(crlf(transcript(printed)), TAG)).toEqual(printed);
  });

  it('reports a missing program by its status and stderr, with nothing on stdout', () => {
    const printed = { status: 127, stdout: '', stderr: 'sh: smartctl: not found\n' };
    const result = readGuestResult(crlf(transcript(printed)), TAG);
    expect(result).toEqual(printed);
    expect(() => successfulStdout(result ?? printed, '`smartctl --version`')).toThrow(
      /`smartctl --version` exited 127\n--- stdout ---\n\n--- stderr ---\nsh: smartctl: not found/,
    );
  });

  it('returns stdout of a command that exits 0', () => {
    const printed = { status: 0, stdout: 'BusyBox v1.37.0\n', stderr: 'a warning\n' };
    expect(successfulStdout(readGuestResult(crlf(transcript(printed)), TAG) ?? printed, 'x')).toBe(
      'BusyBox v1.37.0\n',
    );
  });

  it('keeps carriage returns and every byte of the output, not the console line endings', () => {
    const printed = { status: 0, stdout: `a\rb\r\n${'é'.repeat(100)}\n`, stderr: '' };
    expect(readGuestResult(crlf(transcript(printed)), TAG)).toEqual(printed);
  });

  it('sets aside kernel messages between lines, inside a base64 line and inside a marker', () => {
    const printed = { status: 1, stdout: 'x'.repeat(200), stderr: 'e'.repeat(60) };
    const lines = transcript(printed);
    const outLine = lines.findIndex((line) => line.startsWith(`${TAG}-OUT`)) + 1;
    const line = lines[outLine] ?? '';
    lines[outLine] =
      `${line.slice(0, 10)}[   31.415926] zram: Added device: zram0\r\n${line.slice(10)}`;
    lines.splice(outLine + 1, 0, '[   31.5] systemd[1]: Started something.');
    const status = lines.findIndex((text) => text.startsWith(`${TAG}-STATUS`));
    lines[status] = `${TAG}-STA[ 32.000001] random: crng init done\r\nTUS 1`;
    expect(readGuestResult(crlf(lines), TAG)).toEqual(printed);
  });

  it('sets aside systemd status lines and colours, inside a marker and before one on its line', () => {
    const printed = { status: 0, stdout: 'z'.repeat(120), stderr: 'w\n' };
    const lines = transcript(printed);
    const out = lines.findIndex((line) => line.startsWith(`${TAG}-OUT`));
    const marker = lines[out] ?? '';
    lines[out] =
      `${marker.slice(0, 6)}\x1b[0;32m[  OK  ]\x1b[0m Mounted /mnt/updates.\r\n${marker.slice(6)}`;
    const err = lines.findIndex((line) => line.startsWith(`${TAG}-ERR`));
    lines[err] = `\x1b[K${lines[err] ?? ''}`;
    lines.splice(err, 0, '[ ***  ] A start job is running for /dev/loop0 (5s / no limit)');
    const status = lines.findIndex((text) => text.startsWith(`${TAG}-STATUS`));
    lines[status] = `prompt# ${lines[status] ?? ''}`;
    expect(readGuestResult(crlf(lines), TAG)).toEqual(printed);
  });

  it('waits for the whole status line', () => {
    const lines = transcript({ status: 12, stdout: 'a', stderr: '' });
    const upToStatus = crlf(lines.slice(0, -1));
    expect(readGuestResult(upToStatus.slice(0, -1), TAG)).toBeUndefined();
    expect(readGuestResult(upToStatus, TAG)).toBeUndefined();
    expect(readGuestResult(`${upToStatus}\r\n`, TAG)?.status).toBe(12);
  });

  it('fails when the console lost part of the output', () => {
    const lines = transcript({ status: 0, stdout: 'y'.repeat(300), stderr: '' });
    const outLine = lines.findIndex((line) => line.startsWith(`${TAG}-OUT`)) + 1;
    lines[outLine] = `${lines[outLine]?.slice(0, 40)}garbled ${lines[outLine]?.slice(40)}`;
    expect(() => readGuestResult(crlf(lines), TAG)).toThrow(
      /garbled the command's stdout: 300 bytes were sent/,
    );
  });

  it('fails when the status comes without the output markers', () => {
    expect(() => readGuestResult(`noise\r\n${TAG}-STATUS 0\r\n`, TAG)).toThrow(
      /without .*-OUT and .*-ERR before it:\nnoise/,
    );
  });

  it('types one line whose echo holds no marker, and refuses what the console cannot take', () => {
    const line = guestCommandLine('echo out; echo err >&2; exit 3', TAG);
    expect(line).not.toMatch(new RegExp(`${TAG}-`));
    expect(() => guestCommandLine('true\nfalse', TAG)).toThrow(/one line/);
    expect(() => guestCommandLine('x'.repeat(CONSOLE_LINE_LIMIT), TAG)).toThrow(/line editor/);
    expect(() => guestCommandLine('true', 'BAD-TAG')).toThrow(/tag/);
  });

  it.each([
    ['bash', ['bash', '-c']],
    ['busybox ash', ['busybox', 'sh', '-c']],
  ])('round-trips through %s', async (_shell, argv) => {
    const run = async (command: string) => {
      const [file = '', ...args] = argv;
      const tag = `vmhost${process.pid}`;
      const { stdout } = await execa(file, [...args, guestCommandLine(command, tag)], {
        stdin: 'ignore',
      });
      const console = `${guestCommandLine(command, tag)}\r\n${stdout.replaceAll('\n', '\r\n')}\r\n`;
      return readGuestResult(console, tag);
    };
    expect(await run('true')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(await run('false')).toEqual({ status: 1, stdout: '', stderr: '' });
    expect(await run('echo out; echo err >&2; exit 3')).toEqual({
      status: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect(await run("printf 'a\\rb'")).toEqual({ status: 0, stdout: 'a\rb', stderr: '' });
    const missing = await run('no-such-program-here --version');
    expect(missing).toMatchObject({ status: 127, stdout: '' });
    expect(missing?.stderr).toMatch(/no-such-program-here: (command )?not found/);
  });
});

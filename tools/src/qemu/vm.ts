import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { startProcess } from '../core/process.ts';
import type { RunningProcess } from '../core/process.ts';
import { machineArgv, vmPaths } from './machine-argv.ts';
import type { MachineOptions, VmPaths } from './machine-argv.ts';
import { guestCommandLine, readGuestResult, successfulStdout } from './guest-command.ts';
import type { GuestResult } from './guest-command.ts';

export interface VmOptions extends Omit<MachineOptions, 'console' | 'pidFile'> {
  /** Folder for the serial socket, log, pid and firmware variables. */
  readonly stateDir: string;
  /** Keep QEMU running after this process exits (`vm start`). */
  readonly detached?: boolean;
  readonly debug?: boolean;
}

/** The QEMU command line of a VM: the serial console on a logged unix socket in its folder. */
export function qemuArgv(options: VmOptions): Promise<string[]> {
  const paths = vmPaths(options.stateDir);
  return machineArgv({
    ...options,
    console: { kind: 'socket', socket: paths.serialSocket, log: paths.serialLog },
    pidFile: paths.pidFile,
  });
}

/** A running VM with its serial console: what it printed, and a way to type into it. */
export class Vm {
  private console: Socket | undefined;
  private output = '';

  private constructor(
    readonly options: VmOptions,
    readonly paths: VmPaths,
    readonly process: RunningProcess,
  ) {}

  static async start(options: VmOptions): Promise<Vm> {
    await rm(options.stateDir, { recursive: true, force: true });
    await mkdir(options.stateDir, { recursive: true });
    const paths = vmPaths(options.stateDir);
    const argv = await qemuArgv(options);
    await writeFile(join(options.stateDir, 'argv.json'), `${JSON.stringify(argv, null, 2)}\n`);
    const process = await startProcess(argv, {
      logFile: paths.qemuLog,
      detached: options.detached ?? false,
      debug: options.debug ?? false,
    });
    const vm = new Vm(options, paths, process);
    if (!options.detached) await vm.attach();
    return vm;
  }

  /** Connects to the serial console and keeps everything it prints. */
  private async attach(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        this.console = await connect(this.paths.serialSocket);
        this.console.on('data', (data: Buffer) => {
          this.output += data.toString('latin1');
        });
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`QEMU's serial console did not appear: ${String(error)}`, {
            cause: error,
          });
        await delay(100);
      }
    }
  }

  /** Everything the console printed so far. */
  get log(): string {
    return this.output;
  }

  /** Waits until the console prints a line matching `pattern`; fails with the log tail on timeout or exit. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    return this.until(
      (output) => output.match(pattern) ?? undefined,
      String(pattern),
      timeoutMs,
      from,
    );
  }

  /** Waits until `find` finds something in what the console printed after `from`. */
  private async until<T>(
    find: (output: string) => T | undefined,
    what: string,
    timeoutMs: number,
    from: number,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.process.exited.then(() => (exited = true));
    for (;;) {
      const found = find(this.output.slice(from));
      if (found !== undefined) return found;
      if (exited || Date.now() > deadline) {
        const why = exited ? 'QEMU exited' : `nothing within ${Math.round(timeoutMs / 1000)} s`;
        const qemuLog = await readFile(this.paths.qemuLog, 'utf8').catch(() => '');
        throw new Error(
          `${this.options.mode}: waiting for ${what}: ${why}\n--- serial (tail) ---\n${this.output.slice(-3000)}\n--- qemu ---\n${qemuLog.slice(-1000)}`,
        );
      }
      await delay(100);
    }
  }

  /** Types a line on the serial console. */
  send(line: string): void {
    if (!this.console) throw new Error('the VM console is not attached');
    this.console.write(`${line}\n`);
  }

  /**
   * Runs a one-line shell command in a subshell of the console's shell, stdin closed, and
   * returns its exit status, stdout and stderr (see `guestCommandLine`; the guest needs a
   * writable /tmp and base64). An empty line goes first: busybox's line editor asks the
   * terminal for the cursor position after its first prompt and swallows the first keys typed
   * while it waits for the answer.
   */
  async run(command: string, timeoutMs = 30_000): Promise<GuestResult> {
    const tag = `vm${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const line = guestCommandLine(command, tag);
    this.send('');
    await delay(500);
    const from = this.output.length;
    this.send(line);
    return this.until(
      (output) => {
        try {
          return readGuestResult(output, tag);
        } catch (error) {
          throw new Error(`${this.options.mode}: \`${command}\`: ${(error as Error).message}`, {
            cause: error,
          });
        }
      },
      `the end of \`${command}\``,
      timeoutMs,
      from,
    );
  }

  /** Runs a shell command like `run` and returns its stdout; fails unless it exits 0. */
  async check(command: string, timeoutMs = 30_000): Promise<string> {
    return successfulStdout(
      await this.run(command, timeoutMs),
      `${this.options.mode}: \`${command}\``,
    );
  }

  async stop(): Promise<void> {
    this.console?.destroy();
    this.process.stop('SIGKILL');
    await this.process.exited;
  }
}

function connect(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

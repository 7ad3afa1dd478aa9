import { runRootfsMemoryBenchmark } from './rootfs-memory-bench.ts';

/** `tsx tools/src/bench/rootfs-memory-main.ts [--file-mib N]`: 2048 MiB unless told. */
const flag = process.argv.indexOf('--file-mib');
const fileMiB = flag < 0 ? 2048 : Number(process.argv[flag + 1]);
if (!Number.isSafeInteger(fileMiB) || fileMiB <= 0) {
  throw new Error(`--file-mib needs a whole number of MiB, got ${process.argv[flag + 1]}`);
}
process.stdout.write(await runRootfsMemoryBenchmark(fileMiB));

import { runApkBenchmarks } from './apk-bench.ts';

process.stdout.write(await runApkBenchmarks());

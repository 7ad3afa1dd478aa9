import { runApkBenchmarks } from './apk-bench.ts';
import { runIsoBenchmarks } from './iso-bench.ts';
import { ACORN_BENCH } from './iso-targets.ts';

process.stdout.write(await runApkBenchmarks());
process.stdout.write(await runIsoBenchmarks(ACORN_BENCH));

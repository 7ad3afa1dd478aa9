import { runApkBenchmarks } from './apk-bench.ts';
import { runIsoBenchmarks } from './iso-bench.ts';

process.stdout.write(await runApkBenchmarks());
process.stdout.write(await runIsoBenchmarks());

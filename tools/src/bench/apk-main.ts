import { runApkCommandBenchmarks } from './apk-bench.ts';
import { runBenchParts } from './bench-parts.ts';
import { APK_EXTRACT, runExtractBenchmark } from './extract-bench.ts';
import { runIsoBenchmarks } from './iso-bench.ts';
import { ACORN_BENCH } from './iso-targets.ts';

/** `nx run acorn:bench [--only commands,extract,iso]`: AcornOS and the APK backend. */
await runBenchParts(process.argv.slice(2), {
  commands: runApkCommandBenchmarks,
  extract: (bench) => runExtractBenchmark(bench, APK_EXTRACT),
  iso: (bench) => runIsoBenchmarks(bench, ACORN_BENCH),
});

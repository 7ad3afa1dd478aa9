import { runBenchParts } from './bench-parts.ts';
import { RPM_EXTRACT, runExtractBenchmark } from './extract-bench.ts';
import { runIsoBenchmarks } from './iso-bench.ts';
import { LEVITATE_BENCH } from './iso-targets.ts';
import { runRpmCommandBenchmarks } from './rpm-bench.ts';

/** `nx run leviso:bench [--only commands,extract,iso]`: LevitateOS and the RPM backend. */
await runBenchParts(process.argv.slice(2), {
  commands: runRpmCommandBenchmarks,
  extract: (bench) => runExtractBenchmark(bench, RPM_EXTRACT),
  iso: (bench) => runIsoBenchmarks(bench, LEVITATE_BENCH),
});

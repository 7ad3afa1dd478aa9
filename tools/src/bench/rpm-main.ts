import { runIsoBenchmarks } from './iso-bench.ts';
import { LEVITATE_BENCH } from './iso-targets.ts';
import { runRpmBenchmarks } from './rpm-bench.ts';

process.stdout.write(await runRpmBenchmarks());
process.stdout.write(await runIsoBenchmarks(LEVITATE_BENCH));

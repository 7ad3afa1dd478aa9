import { runRpmBenchmarks } from './rpm-bench.ts';

process.stdout.write(await runRpmBenchmarks());

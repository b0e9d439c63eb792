/**
 * `npm run bench`: the performance figures, each beside its target with PASS or MISS, measured
 * side by side in one run on this machine (medians of FOLIO_BENCH_RUNS runs, 3 by default).
 * Benchmarks are not tests: nothing here fails the build. Results with machine and commit go to
 * test/bench/RESULTS.md.
 */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { printFigures } from './figures.ts';
import { firstVisitFigures } from './firstVisit.ts';
import { focusStormFigures } from './focusStorm.ts';
import { incrementalFigures } from './incremental.ts';
import { ingestFigures } from './ingest.ts';
import { tabFigures } from './tabs.ts';

const runs = Number(process.env.FOLIO_BENCH_RUNS ?? 3);
const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
process.stdout.write(
  `Folio Sync bench at ${commit}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; median of ${runs}\n\n`,
);
printFigures([
  ...(await ingestFigures(runs)),
  ...(await incrementalFigures(runs)),
  ...(await tabFigures(runs)),
  ...(await firstVisitFigures(runs)),
  ...(await focusStormFigures()),
]);

#!/usr/bin/env node
/** `npm run sync`: the process around runSyncCli. */
import { systemClock, systemSleep } from '../platform/realTime.ts';
import { runSyncCli } from './syncCli.ts';

// A closed pipe (`npm run sync -- --json | head`) must not kill a sync half-way: stop printing, finish the sync.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runSyncCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  clock: systemClock,
  sleep: systemSleep,
});

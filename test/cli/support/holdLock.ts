/**
 * Another process for the file-lock tests: tries the lock on the path in argv[2] and prints
 * `locked` (then holds it until killed) or `busy <owner>` (then exits).
 */
import { lockFile } from '../../../src/cli/fileLock.ts';

const lock = lockFile(process.argv[2] ?? '');
if (lock.acquired) {
  process.stdout.write('locked\n');
  // Keeps the process, and so the lock, alive until the test kills it.
  setInterval(() => lock, 60_000);
} else {
  process.stdout.write(`busy ${lock.owner}\n`);
}

/**
 * Server mode under load on loopback: many browsers following the event stream, bursts of Sync
 * Now from all of them, and one client that stops reading. One sync runs at a time (a burst joins
 * it), every reading client hears every completion, the stalled one holds up no one, and memory
 * stays flat across rounds. `FOLIO_LOAD_CLIENTS` and `FOLIO_LOAD_ROUNDS` make it longer (200
 * clients and 5 rounds by default; `npm run test:soak` runs more).
 */
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestEventSource, type TestEventSource } from '../support/eventSource.ts';
import { useSyncServers } from '../support/syncServers.ts';

const servers = useSyncServers();
const CLIENTS = Number(process.env.FOLIO_LOAD_CLIENTS ?? 200);
const ROUNDS = Number(process.env.FOLIO_LOAD_ROUNDS ?? 5);
const BURST = 20;

// A collection on demand, so what the rounds leave behind is measured, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const figures: string[] = [];
afterAll(() => {
  // biome-ignore lint/suspicious/noConsole: the run's log gives the load's figures
  console.log(`server load: ${figures.join('; ')}`);
});

describe('the server under load', () => {
  it('runs one sync per burst, tells every reader, and is not held up by a client that stops reading', async () => {
    const server = await servers.start();
    const streamUrl = `${server.url}/api/events/stream`;

    // A client that connects to the stream and never reads a byte of it.
    const stalled = connect(new URL(server.url).port ? Number(new URL(server.url).port) : 80, '127.0.0.1');
    stalled.write(`GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    stalled.pause();

    const completions = new Array<number>(CLIENTS).fill(0);
    const sources: TestEventSource[] = [];
    await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) =>
          new Promise<void>((resolve, reject) => {
            const source = openTestEventSource(streamUrl);
            sources.push(source);
            source.addEventListener('open', () => resolve());
            source.addEventListener('error', () => reject(new Error(`client ${i} lost its stream`)));
            source.addEventListener('broker:sync-complete', () => {
              completions[i] = (completions[i] ?? 0) + 1;
            });
          }),
      ),
    );

    const syncsOf = () => server.demo.requests.filter((request) => request.path.endsWith('/api/v1/user/me')).length;
    const memory: number[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const before = syncsOf();
        // A burst of Sync Now from many browsers at once: they join one sync.
        const answers = await Promise.all(
          Array.from({ length: BURST }, () => fetch(`${server.url}/api/connect/sync`, { method: 'POST' })),
        );
        expect(answers.every((answer) => answer.status === 202)).toBe(true);
        await server.runner.settled();
        expect(syncsOf() - before, `round ${round}: syncs`).toBe(1);
        await expect
          .poll(() => completions.filter((count) => count >= round).length, { timeout: 10_000 })
          .toBe(CLIENTS);
        collect();
        memory.push(process.memoryUsage().heapUsed);
      }
    } finally {
      for (const source of sources) source.close();
      stalled.destroy();
    }
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const growth = (memory.at(-1) ?? 0) - (memory[0] ?? 0);
    figures.push(
      `${CLIENTS} readers and 1 stalled client, ${ROUNDS} bursts of ${BURST} Sync Now: ${ROUNDS} syncs, every reader told each time; heap ${mib(memory[0] ?? 0)} MiB after the first burst, ${mib(memory.at(-1) ?? 0)} MiB after the last`,
    );
    // Flat: what the rounds leave behind does not grow with them.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});

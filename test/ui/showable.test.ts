/**
 * Cloud text on a page cannot pass for other text, nor fill the page: direction overrides,
 * embeddings and isolates come out as �, and a text longer than any real one is cut, in every
 * view a page draws (nested results and lists included); ids stay whole, and marks that
 * right-to-left text needs stay.
 */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { finishSyncRun, startSyncRun } from '../../src/storage/syncRuns.ts';
import { listSyncHistory } from '../../src/storage/views.ts';
import { MAX_SHOWN, showable, showableView } from '../../src/ui/format/showable.ts';

const NOW = '2026-11-28T12:00:00.000Z';
const LONG = `Long${'n'.repeat(200_000)}`;

describe('showable text', () => {
  it('shows every direction control as �, and keeps marks and ordinary text', () => {
    expect(showable('Bought \u202egnp.exe')).toBe('Bought \ufffdgnp.exe');
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(showable(`a${String.fromCodePoint(code)}b`), code.toString(16)).toBe('a\ufffdb');
    }
    expect(showable('שלום\u200f (TFSA)')).toBe('שלום\u200f (TFSA)');
    expect(showable('<b>VFV</b> & co')).toBe('<b>VFV</b> & co');
  });

  it('cuts a text longer than any real name to a few lines, never inside a character', () => {
    expect(showable(LONG)).toHaveLength(MAX_SHOWN);
    expect(showable(LONG).endsWith('…')).toBe(true);
    expect(showable('n'.repeat(MAX_SHOWN))).toBe('n'.repeat(MAX_SHOWN));
    const emoji = `${'n'.repeat(MAX_SHOWN - 2)}😀${'n'.repeat(10)}`;
    expect(showable(emoji)).toBe(`${'n'.repeat(MAX_SHOWN - 2)}…`);
  });

  it('applies to every text of a view, nested and in lists, but never to an id', () => {
    const view = showableView([
      { id: LONG, accountId: LONG, name: `A \u202eB`, reasons: [LONG], result: { accounts: [{ accountName: LONG }] } },
      { id: 'x', quantity: 7, removedAt: null, ok: true },
    ]);
    expect(view).toEqual([
      {
        id: LONG,
        accountId: LONG,
        name: 'A \ufffdB',
        reasons: [showable(LONG)],
        result: { accounts: [{ accountName: showable(LONG) }] },
      },
      { id: 'x', quantity: 7, removedAt: null, ok: true },
    ]);
  });

  it('shows the sync history of a run whose stored result is long, read whole before it is cut', async () => {
    const db = await openSqlJsDatabase(await initSqlJs(), { load: () => Promise.resolve(undefined) });
    const run = startSyncRun(db, 'MANUAL', NOW);
    const accounts = ['TFSA', 'RRSP', 'Margin', `Personal \u202egnp.exe ${'x'.repeat(600)}`].map((accountName) => ({
      accountId: accountName,
      accountName,
      status: 'IDLE',
      inserted: 1000,
    }));
    finishSyncRun(db, run, { status: 'SUCCEEDED', message: 'ok', errorCode: null, result: { accounts } }, NOW);
    const [row] = showableView(listSyncHistory(db, 5));
    const result = row?.result as { accounts: { accountName: string }[] } | undefined;
    const names = result?.accounts.map((account) => account.accountName) ?? [];
    expect(names.slice(0, 3)).toEqual(['TFSA', 'RRSP', 'Margin']);
    expect(names[3]?.startsWith('Personal \ufffdgnp.exe')).toBe(true);
    expect(names[3]).toHaveLength(MAX_SHOWN);
  });
});

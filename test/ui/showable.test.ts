/**
 * Cloud text on a page cannot pass for other text: direction overrides, embeddings and isolates
 * come out as �, from every read of the page's copy; marks that right-to-left text needs stay.
 */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { MAX_SHOWN, showable, showableDatabase } from '../../src/ui/format/showable.ts';

const NOW = '2026-11-28T12:00:00.000Z';

describe('showable text', () => {
  it('shows every direction control as �, and keeps marks and ordinary text', () => {
    expect(showable('Bought \u202egnp.exe')).toBe('Bought \ufffdgnp.exe');
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(showable(`a${String.fromCodePoint(code)}b`), code.toString(16)).toBe('a\ufffdb');
    }
    expect(showable('שלום\u200f (TFSA)')).toBe('שלום\u200f (TFSA)');
    expect(showable('<b>VFV</b> & co')).toBe('<b>VFV</b> & co');
  });

  it('cuts a text longer than any real name to a few lines, and never an id', async () => {
    const long = `Long${'n'.repeat(200_000)}`;
    expect(showable(long)).toHaveLength(MAX_SHOWN);
    expect(showable(long).endsWith('…')).toBe(true);
    expect(showable('n'.repeat(MAX_SHOWN))).toBe('n'.repeat(MAX_SHOWN));
    const sqlJs = await initSqlJs();
    const db = showableDatabase(await openSqlJsDatabase(sqlJs, { load: () => Promise.resolve(undefined) }));
    const row = db.get<{ id: string; accountId: string; name: string }>('SELECT ? AS id, ? AS accountId, ? AS name', [
      long,
      long,
      long,
    ]);
    expect(row).toEqual({ id: long, accountId: long, name: showable(long) });
  });

  it('applies to every text read from the page copy, and leaves numbers and nulls alone', async () => {
    const sqlJs = await initSqlJs();
    const db = await openSqlJsDatabase(sqlJs, { load: () => Promise.resolve(undefined) });
    db.run('INSERT INTO platforms (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', [
      'P1',
      'Bank \u202etxt.exe',
      NOW,
      NOW,
    ]);
    const shown = showableDatabase(db);
    expect(shown.get('SELECT id, name, NULL AS empty, 7 AS n FROM platforms')).toEqual({
      id: 'P1',
      name: 'Bank \ufffdtxt.exe',
      empty: null,
      n: 7,
    });
    expect(shown.all('SELECT name FROM platforms')).toEqual([{ name: 'Bank \ufffdtxt.exe' }]);
    expect(shown.get("SELECT name FROM platforms WHERE id = 'none'")).toBeUndefined();
    // The database itself keeps what the cloud sent.
    expect(db.get('SELECT name FROM platforms')).toEqual({ name: 'Bank \u202etxt.exe' });
  });
});

/**
 * A Folio Sync database file with a large history, written the way the CLI writes one
 * (better-sqlite3, WAL mode): for testing the activities view at scale and import.
 */

import { updatePortfolio } from '../../../src/core/portfolioUpdate.ts';
import { markHoldingsStale } from '../../../src/storage/holdings.ts';
import { openFileDatabase } from '../../../src/storage/node/fileDatabase.ts';

const TYPES = ['BUY', 'SELL', 'DIVIDEND', 'DEPOSIT', 'INTEREST', 'FEE'] as const;
const SYMBOLS = ['VFV.TO', 'XEQT.TO', 'AAPL', 'MSFT', 'RY.TO'] as const;
export const BIG_ACCOUNTS = ['Alpha', 'Beta', 'Gamma'] as const;
const DAY = 86_400_000;

/** `count` activities over the years before 2026-11-28, newest last; one of them waiting for review. */
export function writeBigDatabase(path: string, count: number): void {
  const db = openFileDatabase(path);
  const now = '2026-11-28T12:00:00.000Z';
  const end = Date.parse('2026-11-28T00:00:00Z');
  db.transaction(() => {
    for (const name of BIG_ACCOUNTS) {
      db.run(
        `INSERT INTO accounts (id, name, currency, institution_name, provider, provider_account_id, created_at, updated_at)
         VALUES (?, ?, 'CAD', 'Bigbank', 'snaptrade', ?, ?, ?)`,
        [name, name, name, now, now],
      );
      db.run(
        `INSERT INTO brokers_sync_state (account_id, provider, last_successful_at, sync_status, created_at, updated_at)
         VALUES (?, 'snaptrade', ?, 'IDLE', ?, ?)`,
        [name, now, now, now],
      );
    }
    for (let i = 0; i < count; i++) {
      const type = TYPES[i % TYPES.length] ?? 'BUY';
      const traded = type === 'BUY' || type === 'SELL';
      const date = new Date(end - Math.floor(((count - i) * 3650 * DAY) / count)).toISOString();
      const symbol = traded || type === 'DIVIDEND' ? (SYMBOLS[i % SYMBOLS.length] ?? null) : null;
      db.run(
        `INSERT INTO activities (id, provider_activity_id, account_id, activity_type, status, activity_date, symbol,
           quantity, unit_price, amount, currency, description, source_system, source_record_id, idempotency_key,
           created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CAD', ?, 'SNAPTRADE', ?, ?, ?, ?)`,
        [
          `big-${i}`,
          `big-${i}`,
          BIG_ACCOUNTS[i % BIG_ACCOUNTS.length] ?? 'Alpha',
          type,
          i === 1234 ? 'DRAFT' : 'POSTED',
          date,
          symbol,
          traded ? '1' : null,
          traded ? '10' : null,
          type === 'BUY' || type === 'FEE' ? '-10' : '10',
          `${type.toLowerCase()} #${i}${symbol ? ` ${symbol}` : ''}`,
          `r${i}`,
          `k${i}`,
          now,
          now,
        ],
      );
    }
    for (const name of BIG_ACCOUNTS) markHoldingsStale(db, name, now);
  });
  updatePortfolio({ db, clock: { now: () => Date.parse(now) }, emit: () => undefined, log: console });
  db.close();
}

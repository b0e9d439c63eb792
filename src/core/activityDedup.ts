/**
 * Which stored activity an incoming one is (docs/cloud-protocol.md, "Identity and dedup"; the rules and
 * why in docs/sync-rules.md, "Dedup"). One instance per account per sync.
 *
 * The cloud's order must not matter. A stored row or tombstone is claimed at most once per
 * sync, and an exact claim (the same cloud id, in the same account and source system) always
 * wins: so matches by source record or idempotency key, which exist for a provider that
 * re-issued ids, wait until the account's last page, when every exact claim is known. Then
 * two identical trades stay two rows, and a deleted trade's tombstone does not swallow its
 * identical twin, whichever arrives first.
 *
 * An incremental sync sees only its window: a stored activity outside it cannot claim itself, so
 * it is matched by its cloud id alone. Otherwise a withholding tax posted days after its dividend,
 * sharing its reference, would overwrite the dividend.
 *
 * An account with nothing stored yet (its first import) can only match what this sync stored:
 * those candidates are kept in memory, and the database is not asked once per activity.
 */
import {
  type ActivityInput,
  findMatchCandidates,
  hasStoredActivities,
  insertActivity,
  type MatchCandidate,
  updateActivity,
} from '../storage/activities.ts';
import { markActivitiesPending, markHoldingsStale } from '../storage/holdings.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';

export type DedupOutcome = 'inserted' | 'updated' | 'unchanged' | 'kept-user-edit' | 'kept-deleted';

/** How many incoming activities ended each way; `flagged`: those stored waiting for review (DRAFT). */
export type DedupCounts = Record<DedupOutcome, number> & { flagged: number };

export interface ActivityDedup {
  /** Applies what can be decided now; call inside the page's transaction. */
  applyPage(inputs: readonly ActivityInput[]): DedupCounts;
  /** Decides the activities that waited for every exact claim; call once, after the last page, in a transaction. */
  finish(): DedupCounts;
}

const claimKey = (candidate: MatchCandidate) => `${candidate.kind}:${candidate.id}`;

/** Where candidates come from: the database, or (first import) what this sync stored. */
interface Candidates {
  find(input: ActivityInput): MatchCandidate[];
  /** Row `id` now holds `input`'s identities. */
  stored(id: string, input: ActivityInput): void;
}

const databaseCandidates = (db: SqlDatabase): Candidates => ({
  find: (input) => findMatchCandidates(db, input),
  stored: () => undefined,
});

/**
 * The rows this sync stored in an account that had none, by each identity of
 * findMatchCandidates, ranked as it ranks them; in the order they were stored.
 */
function memoryCandidates(): Candidates {
  const rows = new Map<string, ActivityInput>();
  const index = new Map<string, Set<string>>();
  const keys = (input: ActivityInput) => [
    `id\u001f${input.sourceSystem}\u001f${input.id}`,
    `record\u001f${input.sourceSystem}\u001f${input.sourceRecordId}`,
    `key\u001f${input.idempotencyKey}`,
  ];
  return {
    find(input) {
      const ids = new Set<string>();
      for (const key of keys(input)) for (const id of index.get(key) ?? []) ids.add(id);
      return [...ids].map((id) => {
        const row = rows.get(id) as ActivityInput;
        const sameSource = row.sourceSystem === input.sourceSystem;
        const rank =
          sameSource && row.id === input.id ? 1 : sameSource && row.sourceRecordId === input.sourceRecordId ? 2 : 3;
        return { kind: 'row', id, rank, userModified: false, activityDate: row.activityDate };
      });
    },
    stored(id, input) {
      const previous = rows.get(id);
      if (previous) for (const key of keys(previous)) index.get(key)?.delete(id);
      rows.set(id, input);
      for (const key of keys(input)) {
        const ids = index.get(key) ?? new Set<string>();
        ids.add(id);
        index.set(key, ids);
      }
    },
  };
}

const emptyCounts = (): DedupCounts => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  'kept-user-edit': 0,
  'kept-deleted': 0,
  flagged: 0,
});

export function createActivityDedup(deps: {
  db: SqlDatabase;
  accountId: string;
  importRunId: number;
  /** The days this sync asked for (`YYYY-MM-DD`); none: the whole history. */
  window: { startDate?: string; endDate?: string };
  now: () => string;
}): ActivityDedup {
  const { db, importRunId, now, window } = deps;
  const claimed = new Set<string>();
  // By cloud id: the same activity sent twice (pages overlapping, or the list shifting while it
  // is paged) waits once, as last sent, and is decided once.
  const waiting = new Map<string, ActivityInput>();
  const waitingKey = (input: ActivityInput) => `${input.sourceSystem}\u001f${input.id}`;

  const seenBySync = (candidate: MatchCandidate): boolean => {
    if (candidate.rank === 1 || !window.startDate || candidate.activityDate === null) return true;
    const day = candidate.activityDate.slice(0, 10);
    return day >= window.startDate && (!window.endDate || day <= window.endDate);
  };
  const source = hasStoredActivities(db, deps.accountId) ? databaseCandidates(db) : memoryCandidates();
  const candidatesOf = (input: ActivityInput) => source.find(input).filter(seenBySync);

  const count = (counts: DedupCounts, input: ActivityInput, outcome: DedupOutcome) => {
    counts[outcome]++;
    if (input.status === 'DRAFT' && outcome !== 'kept-user-edit' && outcome !== 'kept-deleted') counts.flagged++;
  };

  function applyTo(input: ActivityInput, match: MatchCandidate | undefined): DedupOutcome {
    if (!match) {
      const id = insertActivity(db, input, importRunId, now());
      source.stored(id, input);
      claimed.add(`row:${id}`);
      inserted.push(id);
      return 'inserted';
    }
    claimed.add(claimKey(match));
    if (match.kind === 'tombstone') return 'kept-deleted';
    if (match.userModified) return 'kept-user-edit';
    const changed = updateActivity(db, match.id, input, importRunId, now());
    source.stored(match.id, input);
    return changed ? 'updated' : 'unchanged';
  }

  /** The rows inserted since the last mark. */
  let inserted: string[] = [];
  /**
   * In the transaction that changed the account's activities (src/storage/holdings.ts): new rows
   * alone are added to the holdings by symbol; a changed row means recomputing the account.
   */
  const marked = (counts: DedupCounts): DedupCounts => {
    if (counts.updated > 0) markHoldingsStale(db, deps.accountId, now());
    else markActivitiesPending(db, deps.accountId, inserted, now());
    inserted = [];
    return counts;
  };

  const unclaimed = (candidates: MatchCandidate[], rank: MatchCandidate['rank']) =>
    candidates.find((candidate) => candidate.rank === rank && !claimed.has(claimKey(candidate)));

  return {
    applyPage(inputs) {
      const counts = emptyCounts();
      for (const input of inputs) {
        if (waiting.has(waitingKey(input))) {
          waiting.set(waitingKey(input), input);
          continue;
        }
        const candidates = candidatesOf(input);
        // An exact match counts even when already claimed: the same activity twice in one sync.
        const exact = candidates.find((candidate) => candidate.rank === 1);
        if (exact || candidates.every((candidate) => claimed.has(claimKey(candidate)))) {
          count(counts, input, applyTo(input, exact));
        } else {
          waiting.set(waitingKey(input), input);
        }
      }
      return marked(counts);
    },
    finish() {
      const counts = emptyCounts();
      const decided = [...waiting.values()].map((input) => ({ input, candidates: candidatesOf(input) }));
      const matches = new Map<ActivityInput, MatchCandidate>();
      // Source-record matches are closer than idempotency-key ones: all of them are claimed first.
      for (const rank of [2, 3] as const) {
        for (const { input, candidates } of decided) {
          if (matches.has(input)) continue;
          const match = unclaimed(candidates, rank);
          if (match) {
            claimed.add(claimKey(match));
            matches.set(input, match);
          }
        }
      }
      for (const { input } of decided) count(counts, input, applyTo(input, matches.get(input)));
      waiting.clear();
      return marked(counts);
    },
  };
}

/**
 * The sync events of this server process, numbered, for the event stream: a browser that
 * reconnects with `Last-Event-ID` gets what it missed (so no `broker:sync-complete` is lost),
 * as far back as the log keeps. Ids carry the process's start, so an id from before a restart
 * asks for everything kept. A browser that starts fresh asks from the `lastEventId` the state
 * endpoint gave it, so it never replays history it did not miss.
 */
import type { SyncEvent } from '../core/syncEvents.ts';

/** A few syncs' worth: a sync of many accounts emits a progress event per page. */
const KEPT = 2000;

export interface LoggedEvent {
  id: string;
  event: SyncEvent;
}

export interface EventLog {
  append(event: SyncEvent): LoggedEvent;
  /** What came after `lastId` (everything kept when it is unknown or from another run). */
  since(lastId: string | undefined): LoggedEvent[];
  subscribe(listener: (entry: LoggedEvent) => void): () => void;
  /** The newest event's id; before any, an id that asks for everything after it. */
  lastId(): string;
}

export function createEventLog(bootId: string): EventLog {
  let next = 1;
  const entries: (LoggedEvent & { n: number })[] = [];
  const listeners = new Set<(entry: LoggedEvent) => void>();
  return {
    append(event) {
      const entry = { id: `${bootId}-${next}`, n: next++, event };
      entries.push(entry);
      if (entries.length > KEPT) entries.shift();
      for (const listener of listeners) listener(entry);
      return entry;
    },
    since(lastId) {
      const [boot, n] = lastId?.split('-') ?? [];
      const after = boot === bootId && n !== undefined && /^\d+$/.test(n) ? Number(n) : 0;
      return entries.filter((entry) => entry.n > after);
    },
    lastId: () => `${bootId}-${next - 1}`,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

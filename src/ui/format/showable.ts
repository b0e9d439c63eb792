/**
 * Cloud text as a page shows it. The cloud is untrusted (docs/architecture.md, "Untrusted
 * input"): the invisible controls that embed, override or isolate a direction would let a name
 * pass for another ("Bought \u202Egnp.exe" is drawn "Bought exe.png"), so they are shown as �,
 * as the CLI does. Marks (LRM, RLM) stay: right-to-left text needs them and they cannot reverse
 * a word. A text of hundreds of thousands of characters is cut to a few lines' worth. The
 * database keeps what the cloud sent.
 */

import { errorMessage } from '../../core/syncOutcome.ts';

const STEERING = /[\u202A-\u202E\u2066-\u2069]/g;

/** Longer than any real name or description: the rest of a longer one is cut, so it cannot fill a page. */
export const MAX_SHOWN = 500;

export function showable(text: string): string {
  const shown = text.replace(STEERING, '\uFFFD');
  if (shown.length <= MAX_SHOWN) return shown;
  // Not between the two halves of a character outside the BMP.
  const cut = shown.slice(0, MAX_SHOWN - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** A thrown error's message, showable: the worker's and the server's words may carry the cloud's. */
export const showableError = (error: unknown): string => showable(errorMessage(error));

/** Ids are not shown: they go back to the worker whole (a review decision names its activity). */
const isId = (key: string) => key === 'id' || key.endsWith('Id');

/**
 * What a view of the database read (src/storage/views.ts: rows, their parsed JSON, lists of
 * them) with every text in it showable, but its ids. Applied to every view a page draws.
 */
export function showableView<T>(value: T): T {
  return shown(value, '') as T;
}

function shown(value: unknown, key: string): unknown {
  if (typeof value === 'string') return isId(key) ? value : showable(value);
  if (Array.isArray(value)) return value.map((item) => shown(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, shown(item, name)]));
  }
  return value;
}

/**
 * Dates as the cloud sends them and a person types them, read strictly: `YYYY-MM-DD`, or an ISO
 * 8601 date-time (`T` or a space between), with `Z` or an offset (`±HH:MM`) or, without one, UTC.
 * `Date.parse` alone is lenient: "2026-02-30" becomes March 2nd and "1" the year 2001; here a day
 * that is not in its month, or anything else, is not a date.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant `text` names (epoch ms), or null when it is not a date as above. */
export function parseIsoDate(text: string): number | null {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [, year = '', month = '', day = '', hour = '00', minute = '00', second = '00', fraction = '', zone] = match;
  if (Number(month) < 1 || Number(month) > 12) return null;
  if (Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  // Without a zone, UTC: the same instant in every browser, whatever its time zone.
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(ms) ? null : ms;
}

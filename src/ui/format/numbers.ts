/** Money, quantities and dates for people, with the browser's locale. */
import Big from 'big.js';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `amount` is an exact decimal string; shown with its currency's usual digits. */
export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount === null) return '';
  if (!currency) return new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }).format(Number(amount));
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      // Not an ISO 4217 code (crypto, a typo): show the code after the number.
      return `${new Big(amount).toFixed(2)} ${currency}`;
    }
    moneyFormats.set(currency, format);
  }
  // Intl formats a JS number; rounding to the currency's digits first keeps it exact enough to display.
  return format.format(Number(new Big(amount).toFixed(format.resolvedOptions().maximumFractionDigits ?? 2)));
}

const quantityFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 8 });

export const formatQuantity = (quantity: string | null): string =>
  quantity === null ? '' : quantityFormat.format(Number(quantity));

/** Trade dates are days, stored as UTC instants: shown in UTC, so the day is the one the filters use. */
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string): string => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso));

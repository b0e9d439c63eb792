/**
 * Holdings from activities, exactly (big.js), so a person can check them by hand:
 *
 * - Per account, symbol and currency: quantity = buys + transfers in + split shares − sells −
 *   transfers out. Cost basis uses the average-cost method: a buy adds quantity × price + fee,
 *   a transfer in adds quantity × price (its book value), a sell or transfer out removes its
 *   share of the cost at the average cost, a split adds shares at no cost.
 * - A SPLIT's `quantity` is the number of shares it added (10 held, 10-for-1: +90), or took
 *   away when negative (a reverse split), as the demo cloud and SnapTrade report it.
 * - Cash per account and currency: each activity's amount, then its fee. As in docs/cloud-protocol.md's
 *   example (a BUY of 10 @ 112.45 has amount -1124.5 and fee 4.95), the amount is the value and
 *   the fee comes on top. The direction follows the type whatever sign the cloud used: buys,
 *   withdrawals, fees and taxes take cash out, sells, deposits, dividends, interest and credits
 *   bring it in; an adjustment keeps its sign. A trade without an amount moves quantity × price.
 * - At the same instant, what adds shares is counted before what removes them, then the order
 *   the activities arrived in: a sell and a buy on one date-only day must not sell from nothing.
 * - Only POSTED activities count: one waiting for review (DRAFT) counts once confirmed.
 * - A stored value that is not a number (a file edited by hand, say) cannot be counted: that
 *   activity is left out and reported as a problem, never a crash (docs/sync-rules.md, "Holdings").
 */
import Big from 'big.js';
import type { HoldingActivityRow } from '../storage/holdings.ts';

/** An activity as holdings read it: the stored row. */
export type HoldingActivity = HoldingActivityRow;

interface Position {
  symbol: string;
  currency: string;
  quantity: string;
  averageCost: string;
  costBasis: string;
}

interface CashBalance {
  currency: string;
  balance: string;
}

export interface Holdings {
  positions: Position[];
  cash: CashBalance[];
  /** Activities left out because a value could not be read. */
  problems: { activityId: string; problem: string }[];
}

const ZERO = new Big(0);
/** Canonical text: no exponent, no trailing zeros, no "-0". */
const text = (value: Big): string => (value.eq(0) ? '0' : value.toFixed());
/** Averages and cost shares are divisions: kept to 10 places, far below any currency's cent. */
const AVERAGE_PLACES = 10;

const INCREASES = new Set(['BUY', 'TRANSFER_IN', 'SPLIT']);
const DECREASES = new Set(['SELL', 'TRANSFER_OUT']);

const OUTFLOWS = new Set(['BUY', 'WITHDRAWAL', 'FEE', 'TAX']);
const INFLOWS = new Set(['SELL', 'DEPOSIT', 'DIVIDEND', 'INTEREST', 'CREDIT']);

/** An activity's numbers; throws when one is not a number. */
interface Amounts {
  quantity: Big;
  unitPrice: Big | null;
  amount: Big | null;
  fee: Big;
}

function readAmounts(activity: HoldingActivity): Amounts {
  const read = (field: 'quantity' | 'unitPrice' | 'amount' | 'fee'): Big | null => {
    const value = activity[field];
    if (value === null) return null;
    try {
      return new Big(value);
    } catch {
      throw new Error(`its ${field} "${value}" is not a number`);
    }
  };
  return {
    quantity: read('quantity') ?? ZERO,
    unitPrice: read('unitPrice'),
    amount: read('amount'),
    fee: read('fee') ?? ZERO,
  };
}

function cashMovement(type: string, amounts: Amounts): Big {
  const value = amounts.amount ?? amounts.quantity.times(amounts.unitPrice ?? ZERO).abs();
  const fee = amounts.fee.abs();
  if (OUTFLOWS.has(type)) return value.abs().neg().minus(fee);
  if (INFLOWS.has(type)) return value.abs().minus(fee);
  return (amounts.amount === null ? ZERO : value).minus(fee);
}

/**
 * Cash balances after `activities`, from `balances` as they stood: what adding an account's new
 * activities to its holdings does to its cash. Cash is a sum, so this equals a recompute from
 * scratch (computeHoldings), exactly.
 */
export function addCash(
  balances: readonly CashBalance[],
  activities: Iterable<HoldingActivity>,
  accountCurrency: string,
): Pick<Holdings, 'cash' | 'problems'> {
  const cash = new Map(balances.map((entry) => [entry.currency, new Big(entry.balance)]));
  const problems: Holdings['problems'] = [];
  for (const activity of activities) {
    if (activity.status !== 'POSTED') continue;
    try {
      const movement = cashMovement(activity.activityType, readAmounts(activity));
      const currency = activity.currency ?? accountCurrency;
      if (!movement.eq(0)) cash.set(currency, (cash.get(currency) ?? ZERO).plus(movement));
    } catch (error) {
      problems.push({ activityId: activity.id, problem: (error as Error).message });
    }
  }
  return { cash: cashList(cash), problems };
}

const cashList = (cash: Map<string, Big>): CashBalance[] =>
  [...cash.entries()]
    .map(([currency, balance]) => ({ currency, balance: text(balance) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));

/** Holdings of one account, from its activities in date order. */
export function computeHoldings(activities: Iterable<HoldingActivity>, accountCurrency: string): Holdings {
  const positions = new Map<string, { symbol: string; currency: string; quantity: Big; cost: Big }>();
  const cash = new Map<string, Big>();
  const problems: Holdings['problems'] = [];

  for (const activity of activities) {
    if (activity.status !== 'POSTED') continue;
    let amounts: Amounts;
    try {
      amounts = readAmounts(activity);
    } catch (error) {
      problems.push({ activityId: activity.id, problem: (error as Error).message });
      continue;
    }
    const currency = activity.currency ?? accountCurrency;
    const type = activity.activityType;
    const movement = cashMovement(type, amounts);
    if (!movement.eq(0)) cash.set(currency, (cash.get(currency) ?? ZERO).plus(movement));

    if (!activity.symbol || !(INCREASES.has(type) || DECREASES.has(type))) continue;
    const key = `${activity.symbol}\u001f${currency}`;
    const position = positions.get(key) ?? { symbol: activity.symbol, currency, quantity: ZERO, cost: ZERO };
    // A split's sign says which way it went; every other quantity is a size.
    const units = type === 'SPLIT' ? amounts.quantity : amounts.quantity.abs();
    const value = () => (amounts.unitPrice !== null ? units.times(amounts.unitPrice) : (amounts.amount ?? ZERO).abs());
    if (type === 'BUY') {
      position.cost = position.cost.plus(value()).plus(amounts.fee.abs());
    } else if (type === 'TRANSFER_IN') {
      position.cost = position.cost.plus(value());
    } else if (DECREASES.has(type) && position.quantity.gt(0)) {
      const share = units.gte(position.quantity)
        ? position.cost
        : position.cost.times(units).div(position.quantity).round(AVERAGE_PLACES);
      position.cost = position.cost.minus(share);
    }
    position.quantity = DECREASES.has(type) ? position.quantity.minus(units) : position.quantity.plus(units);
    positions.set(key, position);
  }

  return {
    positions: [...positions.values()]
      .filter((position) => !position.quantity.eq(0))
      .map((position) => ({
        symbol: position.symbol,
        currency: position.currency,
        quantity: text(position.quantity),
        averageCost: position.quantity.gt(0) ? text(position.cost.div(position.quantity).round(AVERAGE_PLACES)) : '0',
        costBasis: text(position.cost),
      }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.currency.localeCompare(b.currency)),
    cash: cashList(cash),
    problems,
  };
}

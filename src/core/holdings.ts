/**
 * Holdings from activities, exactly (big.js), so a person can check them by hand:
 *
 * - Per account, symbol and currency: quantity = buys + transfers in + split shares − sells −
 *   transfers out. Cost basis uses the average-cost method: a buy adds quantity × price + fee,
 *   a transfer in adds quantity × price (its book value), a sell or transfer out removes its
 *   share of the cost at the average cost, a split adds shares at no cost.
 * - A SPLIT's `quantity` is the number of shares it added (10 held, 10-for-1: +90), as the
 *   demo cloud and SnapTrade report it.
 * - Cash per account and currency is the sum of the activities' signed amounts (a buy's amount
 *   is negative); a trade without an amount moves cash by its quantity × price and fee.
 * - Only POSTED activities count: one waiting for review (DRAFT) counts once confirmed.
 */
import Big from 'big.js';

export interface HoldingActivity {
  activityType: string;
  status: string;
  symbol: string | null;
  currency: string | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  fee: string | null;
}

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
}

const ZERO = new Big(0);
const big = (value: string | null): Big => (value === null ? ZERO : new Big(value));
/** Canonical text: no exponent, no trailing zeros, no "-0". */
const text = (value: Big): string => (value.eq(0) ? '0' : value.toFixed());
/** Averages and cost shares are divisions: kept to 10 places, far below any currency's cent. */
const AVERAGE_PLACES = 10;

const INCREASES = new Set(['BUY', 'TRANSFER_IN', 'SPLIT']);
const DECREASES = new Set(['SELL', 'TRANSFER_OUT']);

function cashMovement(activity: HoldingActivity): Big {
  if (activity.amount !== null) return big(activity.amount);
  const gross = big(activity.quantity).times(big(activity.unitPrice));
  if (activity.activityType === 'BUY') return gross.plus(big(activity.fee)).neg();
  if (activity.activityType === 'SELL') return gross.minus(big(activity.fee));
  return ZERO;
}

/** Holdings of one account, from its activities in date order. */
export function computeHoldings(activities: Iterable<HoldingActivity>, accountCurrency: string): Holdings {
  const positions = new Map<string, { symbol: string; currency: string; quantity: Big; cost: Big }>();
  const cash = new Map<string, Big>();

  for (const activity of activities) {
    if (activity.status !== 'POSTED') continue;
    const currency = activity.currency ?? accountCurrency;
    const movement = cashMovement(activity);
    if (!movement.eq(0)) cash.set(currency, (cash.get(currency) ?? ZERO).plus(movement));

    const type = activity.activityType;
    if (!activity.symbol || !(INCREASES.has(type) || DECREASES.has(type))) continue;
    const key = `${activity.symbol}\u001f${currency}`;
    const position = positions.get(key) ?? { symbol: activity.symbol, currency, quantity: ZERO, cost: ZERO };
    const units = big(activity.quantity).abs();
    if (type === 'BUY') {
      position.cost = position.cost.plus(units.times(big(activity.unitPrice))).plus(big(activity.fee));
    } else if (type === 'TRANSFER_IN') {
      position.cost = position.cost.plus(units.times(big(activity.unitPrice)));
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
    cash: [...cash.entries()]
      .map(([currency, balance]) => ({ currency, balance: text(balance) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

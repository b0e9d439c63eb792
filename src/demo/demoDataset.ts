/**
 * The demo cloud's data: 3 brokers, 5 accounts (one excluded from sync), ~5,000 activities
 * from 2024-12-02 to today, in several currencies, with deposits, trades, dividends,
 * withholding tax, interest, fees, transfers, a stock split and one activity that needs review.
 *
 * Deterministic: a day's activities depend only on the account, the day and what came before
 * it (each day has its own seed), never on today's date. So a later run sees the same past
 * plus new days, the way a real brokerage history grows, and incremental sync has work to do.
 *
 * A history may also start later than 2024-12-02 (the small demo cloud, for tests that need a
 * sync but not two years of it): see `start` in `buildDemoDataset`.
 */
import Big from 'big.js';
import { DAY_MS, utcDay } from '../core/clock.ts';
import { seededRandom } from './random.ts';

/** The first day of the full demo history (a Monday). */
export const DEMO_HISTORY_START = '2024-12-02';

/** How big a demo cloud's history is: the full one, or the last few weeks only. */
export type DemoSize = 'full' | 'small';

/** Days of history a small demo cloud has when it is created (and it grows from there). */
export const SMALL_HISTORY_DAYS = 30;

interface DemoSecurity {
  symbol: string;
  description: string;
  typeCode: 'et' | 'cs' | 'crypto';
  mic: string | null;
  currency: string;
  basePrice: number;
  /** Dividend per share and the months (1-12) it is paid in. */
  dividend: { perShare: number; months: readonly number[] } | null;
}

const SECURITIES: Record<string, DemoSecurity> = {
  'VFV.TO': {
    symbol: 'VFV.TO',
    description: 'Vanguard S&P 500 Index ETF',
    typeCode: 'et',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 132,
    dividend: { perShare: 0.27, months: [3, 6, 9, 12] },
  },
  'XEQT.TO': {
    symbol: 'XEQT.TO',
    description: 'iShares Core Equity ETF Portfolio',
    typeCode: 'et',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 31,
    dividend: { perShare: 0.19, months: [6, 12] },
  },
  'ZAG.TO': {
    symbol: 'ZAG.TO',
    description: 'BMO Aggregate Bond Index ETF',
    typeCode: 'et',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 13.8,
    dividend: { perShare: 0.04, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  },
  'RY.TO': {
    symbol: 'RY.TO',
    description: 'Royal Bank of Canada',
    typeCode: 'cs',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 170,
    dividend: { perShare: 1.48, months: [2, 5, 8, 11] },
  },
  'ENB.TO': {
    symbol: 'ENB.TO',
    description: 'Enbridge Inc.',
    typeCode: 'cs',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 60,
    dividend: { perShare: 0.9425, months: [3, 6, 9, 12] },
  },
  'SHOP.TO': {
    symbol: 'SHOP.TO',
    description: 'Shopify Inc.',
    typeCode: 'cs',
    mic: 'XTSE',
    currency: 'CAD',
    basePrice: 150,
    dividend: null,
  },
  AAPL: {
    symbol: 'AAPL',
    description: 'Apple Inc.',
    typeCode: 'cs',
    mic: 'XNAS',
    currency: 'USD',
    basePrice: 240,
    dividend: { perShare: 0.26, months: [2, 5, 8, 11] },
  },
  MSFT: {
    symbol: 'MSFT',
    description: 'Microsoft Corporation',
    typeCode: 'cs',
    mic: 'XNAS',
    currency: 'USD',
    basePrice: 430,
    dividend: { perShare: 0.83, months: [3, 6, 9, 12] },
  },
  NVDA: {
    symbol: 'NVDA',
    description: 'NVIDIA Corporation',
    typeCode: 'cs',
    mic: 'XNAS',
    currency: 'USD',
    basePrice: 1380,
    dividend: { perShare: 0.01, months: [3, 6, 9, 12] },
  },
  VOO: {
    symbol: 'VOO',
    description: 'Vanguard S&P 500 ETF',
    typeCode: 'et',
    mic: 'ARCX',
    currency: 'USD',
    basePrice: 540,
    dividend: { perShare: 1.74, months: [3, 6, 9, 12] },
  },
  TSLA: {
    symbol: 'TSLA',
    description: 'Tesla, Inc.',
    typeCode: 'cs',
    mic: 'XNAS',
    currency: 'USD',
    basePrice: 350,
    dividend: null,
  },
  BTC: {
    symbol: 'BTC',
    description: 'Bitcoin',
    typeCode: 'crypto',
    mic: null,
    currency: 'CAD',
    basePrice: 130000,
    dividend: null,
  },
};

/** NVDA's 10-for-1 split, inside the demo history. */
const SPLIT = { symbol: 'NVDA', day: '2025-06-10', ratio: 10 };

/** Withholding tax on US dividends paid into Canadian accounts. */
const US_WITHHOLDING = 0.15;

interface DemoAccountPlan {
  id: string;
  connectionId: string;
  name: string;
  number: string;
  type: string;
  currency: string;
  institution: string;
  syncEnabled: boolean;
  symbols: readonly string[];
  /** Trade attempts per market day. */
  tradesPerDay: number;
  tradeChance: number;
  fractional: boolean;
  tradeFee: number;
  /** Cash a buy spends, at most. */
  maxBuy: number;
  monthlyDeposit: number;
  monthlyFee: number | null;
  interestRate: number;
  /** Shares moved in from another institution on the first day, and out on a later one (see `SpecialDays`). */
  transferIn?: { symbol: string; units: number };
  transferOut?: { symbol: string };
}

interface DemoConnectionPlan {
  id: string;
  authorizationId: string;
  name: string;
  brokerage: { id: string; name: string; slug: string };
}

const DEMO_CONNECTIONS: readonly DemoConnectionPlan[] = [
  {
    id: '0b8f4c6e-1d2a-4e3b-9c5d-6e7f8a9b0c11',
    authorizationId: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a51',
    name: 'My Questrade',
    brokerage: { id: 'e2b1c4d3-0000-4000-8000-000000000001', name: 'Questrade', slug: 'QUESTRADE' },
  },
  {
    id: '1c9a5d7f-2e3b-4f4c-8d6e-7f8a9b0c1d22',
    authorizationId: 'b2d3f4a5-6c7e-4f8a-9b0c-1d2e3f4a5b62',
    name: 'Interactive Brokers',
    brokerage: {
      id: 'e2b1c4d3-0000-4000-8000-000000000002',
      name: 'Interactive Brokers',
      slug: 'INTERACTIVE-BROKERS-US',
    },
  },
  {
    id: '2d0b6e8a-3f4c-4a5d-9e7f-8a9b0c1d2e33',
    authorizationId: 'c3e4a5b6-7d8f-4a9b-8c1d-2e3f4a5b6c73',
    name: 'Wealthsimple',
    brokerage: { id: 'e2b1c4d3-0000-4000-8000-000000000003', name: 'Wealthsimple', slug: 'WEALTHSIMPLETRADE' },
  },
];

const [questrade, ibkr, wealthsimple] = DEMO_CONNECTIONS.map((connection) => connection.authorizationId) as [
  string,
  string,
  string,
];

const ACCOUNT_PLANS: readonly DemoAccountPlan[] = [
  {
    id: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e01',
    connectionId: questrade,
    name: 'TFSA',
    number: '****4821',
    type: 'TFSA',
    currency: 'CAD',
    institution: 'Questrade',
    syncEnabled: true,
    symbols: ['VFV.TO', 'XEQT.TO', 'RY.TO', 'ENB.TO', 'AAPL'],
    tradesPerDay: 3,
    tradeChance: 0.8,
    fractional: false,
    tradeFee: 4.95,
    maxBuy: 1500,
    monthlyDeposit: 1250,
    monthlyFee: null,
    interestRate: 0.0001,
    transferOut: { symbol: 'RY.TO' },
  },
  {
    id: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e02',
    connectionId: questrade,
    name: 'RRSP',
    number: '****9316',
    type: 'RRSP',
    currency: 'CAD',
    institution: 'Questrade',
    syncEnabled: true,
    symbols: ['XEQT.TO', 'ZAG.TO', 'VFV.TO', 'RY.TO'],
    tradesPerDay: 3,
    tradeChance: 0.75,
    fractional: false,
    tradeFee: 4.95,
    maxBuy: 1500,
    monthlyDeposit: 1500,
    monthlyFee: null,
    interestRate: 0.0001,
    transferIn: { symbol: 'XEQT.TO', units: 120 },
  },
  {
    id: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e03',
    connectionId: ibkr,
    name: 'Individual Margin',
    number: 'U7731054',
    type: 'MARGIN',
    currency: 'USD',
    institution: 'Interactive Brokers',
    syncEnabled: true,
    symbols: ['AAPL', 'MSFT', 'NVDA', 'VOO', 'TSLA'],
    tradesPerDay: 6,
    tradeChance: 0.75,
    fractional: false,
    tradeFee: 1,
    maxBuy: 4000,
    monthlyDeposit: 6000,
    monthlyFee: 10,
    interestRate: 0.0025,
    transferIn: { symbol: 'NVDA', units: 8 },
  },
  {
    id: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e04',
    connectionId: wealthsimple,
    name: 'Personal',
    number: 'HQ8K2M7X',
    type: 'NON_REGISTERED',
    currency: 'CAD',
    institution: 'Wealthsimple',
    syncEnabled: true,
    symbols: ['SHOP.TO', 'XEQT.TO', 'VFV.TO', 'ENB.TO'],
    tradesPerDay: 4,
    tradeChance: 0.75,
    fractional: true,
    tradeFee: 0,
    maxBuy: 800,
    monthlyDeposit: 1500,
    monthlyFee: null,
    interestRate: 0.0008,
  },
  {
    id: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e05',
    connectionId: wealthsimple,
    name: 'Crypto',
    number: 'WK3J9P2L',
    type: 'CRYPTO',
    currency: 'CAD',
    institution: 'Wealthsimple',
    syncEnabled: false,
    symbols: ['BTC'],
    tradesPerDay: 1,
    tradeChance: 0.1,
    fractional: true,
    tradeFee: 0,
    maxBuy: 300,
    monthlyDeposit: 200,
    monthlyFee: null,
    interestRate: 0,
  },
];

/** The one activity that needs review: a corporate action the cloud could not map. */
const REVIEW_ACTIVITY = { accountId: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e04', day: '2025-09-29' };

/** The full history's transfer-out day. */
const TRANSFER_OUT_DAY = '2026-02-02';

/** The days a history's one-off customer events fall on. */
interface SpecialDays {
  /** The first day: deposits start, and shares are transferred in. */
  start: string;
  review: string;
  transferOut: string;
}

/**
 * The full history keeps its historical dates. A history that starts on another day has the
 * review activity a week after its start and the transfer-out two weeks after, so even a few
 * weeks of it has them. The split stays on its date in every history: it is a market event
 * (prices follow it), so a history that starts after it simply has none, like a real account
 * opened later.
 */
function specialDays(start: string): SpecialDays {
  if (start === DEMO_HISTORY_START) return { start, review: REVIEW_ACTIVITY.day, transferOut: TRANSFER_OUT_DAY };
  const after = (days: number) => utcDay((dayNumber(start) + days) * DAY_MS);
  return { start, review: after(7), transferOut: after(14) };
}

/** An activity as docs/cloud-protocol.md sends it. */
type DemoActivity = Record<string, unknown> & { id: string; trade_date: string };

export interface DemoAccount {
  plan: DemoAccountPlan;
  activities: DemoActivity[];
  cash: Big;
  holdings: Map<string, Big>;
}

export interface DemoDataset {
  connections: readonly DemoConnectionPlan[];
  accounts: DemoAccount[];
  /** The first day of history. */
  start: string;
  today: string;
}

const dayNumber = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** A deterministic price walk: seasonal swing, slow growth, daily noise. */
function priceOn(security: DemoSecurity, day: string): Big {
  const n = dayNumber(day) - dayNumber(DEMO_HISTORY_START);
  const phase = (security.symbol.charCodeAt(0) % 7) / 7;
  const swing = 1 + 0.12 * Math.sin(2 * Math.PI * (n / 365 + phase) * 1.3);
  const growth = 1 + 0.00035 * n;
  const noise = 1 + (seededRandom(`${security.symbol}:${day}`).next() - 0.5) * 0.03;
  let price = security.basePrice * swing * growth * noise;
  if (security.symbol === SPLIT.symbol && day >= SPLIT.day) price /= SPLIT.ratio;
  return new Big(price.toFixed(2));
}

const json = (value: Big): number => Number(value.toFixed(2));

function security(symbol: string): DemoSecurity {
  const found = SECURITIES[symbol];
  if (!found) throw new Error(`No demo security ${symbol}`);
  return found;
}

class AccountHistory {
  readonly activities: DemoActivity[] = [];
  cash = new Big(0);
  readonly holdings = new Map<string, Big>();
  readonly dividendsPaid = new Set<string>();
  private sequence = 0;

  constructor(readonly plan: DemoAccountPlan) {}

  add(day: string, hour: number, fields: Record<string, unknown>): void {
    this.sequence++;
    const tradeDate = `${day}T${String(hour).padStart(2, '0')}:${String(this.sequence % 60).padStart(2, '0')}:00Z`;
    const ref = `${this.plan.id.slice(-4)}-${day.replaceAll('-', '')}-${this.sequence}`;
    this.activities.push({
      id: `act-${ref}`,
      type: null,
      subtype: null,
      raw_type: fields.type ?? null,
      symbol: null,
      option_symbol: null,
      price: null,
      units: null,
      amount: null,
      fee: 0,
      fx_rate: null,
      currency: { code: this.plan.currency },
      description: null,
      trade_date: tradeDate,
      settlement_date: `${day}T00:00:00Z`,
      external_reference_id: `ref-${ref}`,
      provider_type: 'SNAPTRADE',
      source_system: 'SNAPTRADE',
      source_record_id: `rec-${ref}`,
      source_group_id: null,
      mapping_metadata: { flow: { is_external: false }, reasons: [], confidence: 0.98 },
      needs_review: false,
      ...fields,
    });
  }

  symbolOf(sec: DemoSecurity): Record<string, unknown> {
    return {
      symbol: sec.symbol,
      raw_symbol: sec.symbol.replace(/\.TO$/, ''),
      description: sec.description,
      type: { code: sec.typeCode },
      exchange: sec.mic ? { mic_code: sec.mic } : null,
      currency: { code: sec.currency },
      figi_code: null,
    };
  }

  held(symbol: string): Big {
    return this.holdings.get(symbol) ?? new Big(0);
  }

  trade(day: string, hour: number, sec: DemoSecurity, side: 'BUY' | 'SELL', units: Big): void {
    const price = priceOn(sec, day);
    const gross = price.times(units).round(2);
    // As the example of docs/cloud-protocol.md has it: the amount is the trade's value, the fee comes on top.
    const fee = new Big(this.plan.tradeFee);
    const amount = side === 'BUY' ? gross.neg() : gross;
    this.cash = this.cash.plus(amount).minus(fee);
    this.holdings.set(
      sec.symbol,
      side === 'BUY' ? this.held(sec.symbol).plus(units) : this.held(sec.symbol).minus(units),
    );
    this.add(day, hour, {
      type: side,
      symbol: this.symbolOf(sec),
      price: json(price),
      units: Number(units.toFixed()),
      amount: json(amount),
      fee: this.plan.tradeFee,
      currency: { code: sec.currency },
      description: `${side === 'BUY' ? 'Bought' : 'Sold'} ${units.toFixed()} ${sec.symbol} @ ${price.toFixed(2)}`,
      settlement_date: `${utcDay(Date.parse(`${day}T00:00:00Z`) + DAY_MS)}T00:00:00Z`,
    });
  }

  cashFlow(
    day: string,
    hour: number,
    type: string,
    amount: Big,
    description: string,
    currency = this.plan.currency,
  ): void {
    this.cash = this.cash.plus(amount);
    this.add(day, hour, { type, amount: json(amount), currency: { code: currency }, description });
  }
}

const isWeekday = (day: string): boolean => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

function simulateDay(
  history: AccountHistory,
  day: string,
  special: SpecialDays,
  firstWeekdayOfMonth: boolean,
  lastDayOfMonth: boolean,
): void {
  const { plan } = history;
  const random = seededRandom(`${plan.id}:${day}`);
  const month = Number(day.slice(5, 7));

  if (day === special.start && plan.transferIn) {
    const sec = security(plan.transferIn.symbol);
    const units = new Big(plan.transferIn.units);
    history.holdings.set(sec.symbol, units);
    history.add(day, 15, {
      type: 'TRANSFER_IN',
      symbol: history.symbolOf(sec),
      price: json(priceOn(sec, day)),
      units: plan.transferIn.units,
      amount: 0,
      currency: { code: sec.currency },
      description: `Transfer in-kind from another institution: ${units.toFixed()} ${sec.symbol}`,
    });
  }
  if (day === special.transferOut && plan.transferOut && history.held(plan.transferOut.symbol).gt(0)) {
    const sec = security(plan.transferOut.symbol);
    const units = history.held(sec.symbol).div(2).round(0, Big.roundDown);
    if (units.gt(0)) {
      history.holdings.set(sec.symbol, history.held(sec.symbol).minus(units));
      history.add(day, 15, {
        type: 'TRANSFER_OUT',
        symbol: history.symbolOf(sec),
        price: json(priceOn(sec, day)),
        units: Number(units.toFixed()),
        amount: 0,
        currency: { code: sec.currency },
        description: `Transfer in-kind to another institution: ${units.toFixed()} ${sec.symbol}`,
      });
    }
  }
  if (firstWeekdayOfMonth && plan.monthlyDeposit > 0) {
    history.cashFlow(day, 13, 'DEPOSIT', new Big(plan.monthlyDeposit), 'Pre-authorized contribution');
  }
  if (day === special.review && plan.id === REVIEW_ACTIVITY.accountId) {
    const sec = security('SHOP.TO');
    history.add(day, 11, {
      type: 'UNKNOWN',
      raw_type: 'REORG',
      symbol: history.symbolOf(sec),
      units: 2,
      amount: 0,
      description: 'Corporate reorganization SHOP: 2 shares',
      mapping_metadata: {
        flow: { is_external: false },
        reasons: ['Unrecognized transaction code REORG'],
        confidence: 0.42,
      },
    });
  }
  if (day === SPLIT.day && plan.symbols.includes(SPLIT.symbol)) {
    const held = history.held(SPLIT.symbol);
    if (held.gt(0)) {
      const added = held.times(SPLIT.ratio - 1);
      history.holdings.set(SPLIT.symbol, held.plus(added));
      history.add(day, 12, {
        type: 'SPLIT',
        symbol: history.symbolOf(security(SPLIT.symbol)),
        units: Number(added.toFixed()),
        price: 0,
        amount: 0,
        currency: { code: 'USD' },
        description: `${SPLIT.symbol} ${SPLIT.ratio}-for-1 stock split: ${added.toFixed()} shares added`,
      });
    }
  }

  if (isWeekday(day)) {
    // Dividends on the 15th-ish of their months, for what is held that morning.
    if (Number(day.slice(8, 10)) >= 15 && Number(day.slice(8, 10)) <= 17 && random.chance(0.5)) {
      for (const symbol of plan.symbols) {
        const sec = security(symbol);
        const held = history.held(symbol);
        if (!sec.dividend?.months.includes(month) || held.lte(0)) continue;
        const paid = `${symbol}:${day.slice(0, 7)}`;
        if (history.dividendsPaid.has(paid)) continue;
        history.dividendsPaid.add(paid);
        const amount = held.times(sec.dividend.perShare).round(2);
        if (amount.lte(0)) continue;
        history.cash = history.cash.plus(amount);
        history.add(day, 9, {
          type: 'DIVIDEND',
          symbol: history.symbolOf(sec),
          amount: json(amount),
          currency: { code: sec.currency },
          description: `${symbol} dividend ${sec.dividend.perShare}/share`,
        });
        if (sec.currency === 'USD' && plan.currency === 'CAD') {
          const tax = amount.times(US_WITHHOLDING).round(2).neg();
          history.cashFlow(day, 9, 'TAX', tax, `${symbol} US withholding tax`, 'USD');
        }
      }
    }
    for (let attempt = 0; attempt < plan.tradesPerDay; attempt++) {
      if (!random.chance(plan.tradeChance)) continue;
      const sec = security(random.pick(plan.symbols));
      const held = history.held(sec.symbol);
      const price = priceOn(sec, day);
      if (held.gt(0) && random.chance(0.35)) {
        const most = plan.fractional ? held : held.round(0, Big.roundDown);
        const part = plan.fractional
          ? most.times(random.int(10, 60)).div(100).round(4, Big.roundDown)
          : new Big(Math.max(1, Math.floor((Number(most) * random.int(10, 60)) / 100)));
        if (part.gt(0) && part.lte(held)) history.trade(day, 14 + random.int(0, 5), sec, 'SELL', part);
        continue;
      }
      // Plain float division is fine for choosing a quantity; the chosen quantity is exact from here on.
      const affordable = random.int(150, plan.maxBuy) / Number(price);
      const units = new Big(
        plan.fractional ? (Math.floor(affordable * 10_000) / 10_000).toFixed(4) : Math.floor(affordable),
      );
      const cost = units.times(price).plus(plan.tradeFee);
      if (units.gt(0) && cost.lte(history.cash)) history.trade(day, 14 + random.int(0, 5), sec, 'BUY', units);
    }
  }
  if (lastDayOfMonth) {
    if (plan.interestRate > 0 && history.cash.gt(0)) {
      const interest = history.cash.times(plan.interestRate).round(2);
      if (interest.gt(0)) history.cashFlow(day, 22, 'INTEREST', interest, 'Interest on cash balance');
    }
    if (plan.monthlyFee !== null)
      history.cashFlow(day, 22, 'FEE', new Big(plan.monthlyFee).neg(), 'Monthly market data fee');
  }
}

/**
 * The first day of a small history, for a demo cloud created on `day`. It is fixed when the
 * cloud is created, not recomputed from each new today: a start that moved with the clock
 * would rewrite the past as days pass, and incremental sync would no longer see a history
 * that only grows.
 */
export const smallHistoryStart = (day: string): string => utcDay((dayNumber(day) - SMALL_HISTORY_DAYS) * DAY_MS);

export interface DemoDatasetOptions {
  /** The first day of history (`YYYY-MM-DD`); DEMO_HISTORY_START, the full history, if absent. */
  start?: string;
}

/**
 * The demo history from its start up to and including `today` (`YYYY-MM-DD`); empty if
 * today is before the start.
 */
export function buildDemoDataset(today: string, options: DemoDatasetOptions = {}): DemoDataset {
  const start = options.start ?? DEMO_HISTORY_START;
  const special = specialDays(start);
  const histories = ACCOUNT_PLANS.map((plan) => new AccountHistory(plan));
  const last = dayNumber(today);
  let month = '';
  for (let n = dayNumber(start); n <= last; n++) {
    const day = utcDay(n * DAY_MS);
    const newMonth = day.slice(0, 7) !== month && isWeekday(day);
    if (newMonth) month = day.slice(0, 7);
    const lastDayOfMonth = utcDay((n + 1) * DAY_MS).slice(0, 7) !== day.slice(0, 7);
    for (const history of histories) simulateDay(history, day, special, newMonth, lastDayOfMonth);
  }
  return {
    connections: DEMO_CONNECTIONS,
    accounts: histories.map((history) => ({
      plan: history.plan,
      activities: history.activities,
      cash: history.cash,
      holdings: history.holdings,
    })),
    start,
    today,
  };
}

/** Market value plus cash, in the account's currency (demo simplification: no FX). */
export function demoBalance(account: DemoAccount, today: string): number {
  let total = account.cash;
  for (const [symbol, units] of account.holdings) total = total.plus(priceOn(security(symbol), today).times(units));
  return json(total);
}

import { describe, expect, it } from 'vitest';
import { computeHoldings, type HoldingActivity } from '../../src/core/holdings.ts';

const activity = (fields: Partial<HoldingActivity> & Pick<HoldingActivity, 'activityType'>): HoldingActivity => ({
  status: 'POSTED',
  symbol: null,
  currency: 'CAD',
  quantity: null,
  unitPrice: null,
  amount: null,
  fee: null,
  ...fields,
});
const buy = (symbol: string, quantity: string, unitPrice: string, fee = '0', currency = 'CAD') =>
  activity({ activityType: 'BUY', symbol, quantity, unitPrice, fee, currency });
const sell = (symbol: string, quantity: string, unitPrice: string, fee = '0', currency = 'CAD') =>
  activity({ activityType: 'SELL', symbol, quantity, unitPrice, fee, currency });

describe('holdings', () => {
  it('adds buys (fees in the cost) and removes sells at the average cost', () => {
    const { positions, cash } = computeHoldings(
      [
        activity({ activityType: 'DEPOSIT', amount: '5000' }),
        buy('VFV.TO', '10', '100', '5'),
        buy('VFV.TO', '10', '110', '5'),
        sell('VFV.TO', '5', '120', '5'),
      ],
      'CAD',
    );
    // Cost 1005 + 1105 = 2110 for 20: average 105.5; selling 5 removes 527.5.
    expect(positions).toEqual([
      { symbol: 'VFV.TO', currency: 'CAD', quantity: '15', averageCost: '105.5', costBasis: '1582.5' },
    ]);
    // 5000 - 1005 - 1105 + 595
    expect(cash).toEqual([{ currency: 'CAD', balance: '3485' }]);
  });

  it("uses the activities' own signed amounts for cash when they have them", () => {
    const { cash } = computeHoldings(
      [
        activity({ activityType: 'BUY', symbol: 'X', quantity: '1', unitPrice: '10', fee: '1', amount: '-11' }),
        activity({ activityType: 'DIVIDEND', symbol: 'X', amount: '0.5' }),
        activity({ activityType: 'INTEREST', amount: '0.25' }),
        activity({ activityType: 'FEE', amount: '-2' }),
        activity({ activityType: 'TAX', amount: '-0.08' }),
        activity({ activityType: 'WITHDRAWAL', amount: '-100' }),
      ],
      'CAD',
    );
    expect(cash).toEqual([{ currency: 'CAD', balance: '-112.33' }]);
  });

  it('applies a split as added shares at no cost', () => {
    const { positions } = computeHoldings(
      [
        buy('NVDA', '8', '1000', '0', 'USD'),
        activity({ activityType: 'SPLIT', symbol: 'NVDA', quantity: '72', currency: 'USD' }),
      ],
      'USD',
    );
    expect(positions).toEqual([
      { symbol: 'NVDA', currency: 'USD', quantity: '80', averageCost: '100', costBasis: '8000' },
    ]);
  });

  it('counts transfers in at their book value and transfers out at the average cost', () => {
    const { positions, cash } = computeHoldings(
      [
        activity({ activityType: 'TRANSFER_IN', symbol: 'XEQT.TO', quantity: '120', unitPrice: '30', amount: '0' }),
        activity({ activityType: 'TRANSFER_OUT', symbol: 'XEQT.TO', quantity: '20', unitPrice: '35', amount: '0' }),
      ],
      'CAD',
    );
    expect(positions).toEqual([
      { symbol: 'XEQT.TO', currency: 'CAD', quantity: '100', averageCost: '30', costBasis: '3000' },
    ]);
    expect(cash).toEqual([]);
  });

  it('keeps several currencies apart', () => {
    const { positions, cash } = computeHoldings(
      [
        activity({ activityType: 'DEPOSIT', amount: '1000' }),
        buy('AAPL', '2', '200', '1', 'USD'),
        activity({ activityType: 'DIVIDEND', symbol: 'AAPL', amount: '0.52', currency: 'USD' }),
      ],
      'CAD',
    );
    expect(positions.map((position) => [position.symbol, position.currency, position.costBasis])).toEqual([
      ['AAPL', 'USD', '401'],
    ]);
    expect(cash).toEqual([
      { currency: 'CAD', balance: '1000' },
      { currency: 'USD', balance: '-400.48' },
    ]);
  });

  it('is exact with decimals: 0.1 + 0.2 is 0.3', () => {
    const { positions, cash } = computeHoldings(
      [
        buy('BTC', '0.1', '0.1'),
        buy('BTC', '0.2', '0.1'),
        activity({ activityType: 'DEPOSIT', amount: '0.1' }),
        activity({ activityType: 'DEPOSIT', amount: '0.2' }),
      ],
      'CAD',
    );
    expect(positions[0]).toMatchObject({ quantity: '0.3', costBasis: '0.03', averageCost: '0.1' });
    expect(cash).toEqual([{ currency: 'CAD', balance: '0.27' }]);
  });

  it('drops a position sold to zero, and ignores activities waiting for review', () => {
    const { positions } = computeHoldings(
      [
        buy('RY.TO', '3', '150'),
        sell('RY.TO', '3', '160'),
        activity({ activityType: 'UNKNOWN', status: 'DRAFT', symbol: 'SHOP.TO', quantity: '2' }),
        { ...buy('SHOP.TO', '5', '100'), status: 'DRAFT' },
      ],
      'CAD',
    );
    expect(positions).toEqual([]);
  });

  it("falls back to the account's currency", () => {
    const { cash } = computeHoldings([activity({ activityType: 'DEPOSIT', amount: '10', currency: null })], 'USD');
    expect(cash).toEqual([{ currency: 'USD', balance: '10' }]);
  });
});

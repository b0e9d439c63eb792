import { describe, expect, it } from 'vitest';
import { computeHoldings, type HoldingActivity } from '../../src/core/holdings.ts';

let nextId = 0;
const activity = (fields: Partial<HoldingActivity> & Pick<HoldingActivity, 'activityType'>): HoldingActivity => ({
  id: `a${++nextId}`,
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

  it('reads amounts as docs/cloud-protocol.md shows them: the value, with the fee on top', () => {
    const { positions, cash } = computeHoldings(
      [
        activity({ activityType: 'DEPOSIT', amount: '2000' }),
        // docs/cloud-protocol.md's example activity.
        activity({
          activityType: 'BUY',
          symbol: 'VFV.TO',
          quantity: '10',
          unitPrice: '112.45',
          amount: '-1124.5',
          fee: '4.95',
        }),
      ],
      'CAD',
    );
    expect(cash).toEqual([{ currency: 'CAD', balance: '870.55' }]);
    expect(positions[0]).toMatchObject({ costBasis: '1129.45', averageCost: '112.945' });
  });

  it('moves cash the way the type says, whichever sign the cloud used', () => {
    const { cash } = computeHoldings(
      [
        activity({ activityType: 'DEPOSIT', amount: '100' }),
        activity({ activityType: 'DIVIDEND', symbol: 'X', amount: '0.5' }),
        activity({ activityType: 'INTEREST', amount: '-0.25' }),
        activity({ activityType: 'FEE', amount: '2' }),
        activity({ activityType: 'TAX', amount: '-0.08' }),
        activity({ activityType: 'WITHDRAWAL', amount: '10' }),
        activity({ activityType: 'ADJUSTMENT', amount: '-1' }),
      ],
      'CAD',
    );
    // 100 + 0.5 + 0.25 - 2 - 0.08 - 10 - 1
    expect(cash).toEqual([{ currency: 'CAD', balance: '87.67' }]);
  });

  it('costs a buy without a price at its amount', () => {
    const { positions } = computeHoldings(
      [activity({ activityType: 'BUY', symbol: 'X', quantity: '4', amount: '-100', fee: '1' })],
      'CAD',
    );
    expect(positions[0]).toMatchObject({ quantity: '4', costBasis: '101', averageCost: '25.25' });
  });

  it('applies a reverse split (a negative split) as shares taken away at no cost', () => {
    const { positions } = computeHoldings(
      [buy('X', '100', '10'), activity({ activityType: 'SPLIT', symbol: 'X', quantity: '-90' })],
      'CAD',
    );
    expect(positions[0]).toMatchObject({ quantity: '10', costBasis: '1000', averageCost: '100' });
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

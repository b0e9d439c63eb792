import Big from 'big.js';
import type { AppModels } from '../appModels.ts';
import { PHONE_QUERY, useMediaQuery } from '../components/useMediaQuery.ts';
import { formatMoney, formatQuantity } from '../format/numbers.ts';

/** Sums of decimal strings by key, exactly, in key order. */
function sumBy<T>(rows: T[], key: (row: T) => string, value: (row: T) => string): [string, string][] {
  const totals = new Map<string, Big>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? new Big(0)).plus(value(row)));
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, total]) => [name, total.toFixed()]);
}

const SEPARATOR = '\u001f';

export function HoldingsPage({ models }: { models: Pick<AppModels, 'data'> }) {
  // Four columns of money do not fit a phone: there the average cost goes under the quantity.
  const phone = useMediaQuery(PHONE_QUERY);
  const holdings = models.data.holdings.value;
  const cash = models.data.cash.value;
  const accounts = models.data.accounts.value.filter(
    (account) =>
      holdings.some((row) => row.accountId === account.id) || cash.some((row) => row.accountId === account.id),
  );
  // In total: each symbol across accounts, then book value and cash per currency.
  const symbols = new Map<string, { symbol: string; currency: string; quantity: Big; book: Big }>();
  for (const row of holdings) {
    const key = `${row.symbol}${SEPARATOR}${row.currency}`;
    const total = symbols.get(key) ?? {
      symbol: row.symbol,
      currency: row.currency,
      quantity: new Big(0),
      book: new Big(0),
    };
    total.quantity = total.quantity.plus(row.quantity);
    total.book = total.book.plus(row.costBasis);
    symbols.set(key, total);
  }
  const bySymbol = [...symbols.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, total]) => ({ ...total, quantity: total.quantity.toFixed(), book: total.book.toFixed() }));
  const bookValue = sumBy(
    holdings,
    (row) => row.currency,
    (row) => row.costBasis,
  );
  const cashTotal = sumBy(
    cash,
    (row) => row.currency,
    (row) => row.balance,
  );
  return (
    <>
      <h1>Holdings</h1>
      <p class="muted">
        From your confirmed activities: quantities, average cost and book value (cost basis) in each security's
        currency.
      </p>
      {accounts.length === 0 ? (
        <p class="muted">No holdings yet: they appear after the first sync.</p>
      ) : (
        <>
          <section class="card" aria-labelledby="total-title">
            <h2 id="total-title">All accounts</h2>
            <div class="table-scroll">
              <table aria-label="All accounts by symbol">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col" class="num">
                      Quantity
                    </th>
                    <th scope="col" class="num">
                      Book value
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {bySymbol.map((row) => (
                    <tr key={`${row.symbol}-${row.currency}`}>
                      <th scope="row">{row.symbol}</th>
                      <td class="num">{formatQuantity(row.quantity)}</td>
                      <td class="num">{formatMoney(row.book, row.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <table aria-label="Totals">
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col" class="num">
                    Book value
                  </th>
                  <th scope="col" class="num">
                    Cash
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...new Set([...bookValue, ...cashTotal].map(([currency]) => currency))].sort().map((currency) => (
                  <tr key={currency}>
                    <th scope="row">{currency}</th>
                    <td class="num">{formatMoney(bookValue.find(([c]) => c === currency)?.[1] ?? '0', currency)}</td>
                    <td class="num">{formatMoney(cashTotal.find(([c]) => c === currency)?.[1] ?? '0', currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {accounts.map((account) => (
            <section key={account.id} class="card" aria-labelledby={`holdings-${account.id}`}>
              <h2 id={`holdings-${account.id}`}>
                {account.name} <span class="muted">{account.institution}</span>
              </h2>
              <div class="table-scroll">
                <table aria-label={`Holdings of ${account.name}`}>
                  <thead>
                    <tr>
                      <th scope="col">Symbol</th>
                      <th scope="col" class="num">
                        Quantity
                      </th>
                      {!phone && (
                        <th scope="col" class="num">
                          Average cost
                        </th>
                      )}
                      <th scope="col" class="num">
                        Book value
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {holdings
                      .filter((row) => row.accountId === account.id)
                      .map((row) => (
                        <tr key={`${row.symbol}-${row.currency}`}>
                          <th scope="row">{row.symbol}</th>
                          <td class="num">
                            {formatQuantity(row.quantity)}
                            {phone && (
                              <small class="muted average">
                                at {formatMoney(row.averageCost, row.currency)} average
                              </small>
                            )}
                          </td>
                          {!phone && <td class="num">{formatMoney(row.averageCost, row.currency)}</td>}
                          <td class="num">{formatMoney(row.costBasis, row.currency)}</td>
                        </tr>
                      ))}
                    {cash
                      .filter((row) => row.accountId === account.id)
                      .map((row) => (
                        <tr key={`cash-${row.currency}`} class="cash">
                          <th scope="row">Cash {row.currency}</th>
                          <td class="num" />
                          {!phone && <td class="num" />}
                          <td class="num">{formatMoney(row.balance, row.currency)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </>
  );
}

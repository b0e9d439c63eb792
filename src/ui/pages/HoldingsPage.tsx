import Big from 'big.js';
import type { AppModels } from '../appModels.ts';
import { formatMoney, formatQuantity } from '../format/numbers.ts';

/** Sums of decimal strings per currency, exactly. */
function totalsByCurrency(entries: { currency: string; value: string }[]): [string, string][] {
  const totals = new Map<string, Big>();
  for (const { currency, value } of entries) totals.set(currency, (totals.get(currency) ?? new Big(0)).plus(value));
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => [currency, total.toFixed()]);
}

export function HoldingsPage({ models }: { models: AppModels }) {
  const holdings = models.data.holdings.value;
  const cash = models.data.cash.value;
  const accounts = models.data.accounts.value.filter(
    (account) =>
      holdings.some((row) => row.accountId === account.id) || cash.some((row) => row.accountId === account.id),
  );
  const bookValue = totalsByCurrency(holdings.map((row) => ({ currency: row.currency, value: row.costBasis })));
  const cashTotal = totalsByCurrency(cash.map((row) => ({ currency: row.currency, value: row.balance })));
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
                {[...new Set([...bookValue, ...cashTotal].map(([currency]) => currency))].sort().map((currency) => {
                  const book = bookValue.find(([c]) => c === currency)?.[1] ?? '0';
                  const money = cashTotal.find(([c]) => c === currency)?.[1] ?? '0';
                  return (
                    <tr key={currency}>
                      <th scope="row">{currency}</th>
                      <td class="num">{formatMoney(book, currency)}</td>
                      <td class="num">{formatMoney(money, currency)}</td>
                    </tr>
                  );
                })}
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
                      <th scope="col" class="num">
                        Average cost
                      </th>
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
                          <td class="num">{formatQuantity(row.quantity)}</td>
                          <td class="num">{formatMoney(row.averageCost, row.currency)}</td>
                          <td class="num">{formatMoney(row.costBasis, row.currency)}</td>
                        </tr>
                      ))}
                    {cash
                      .filter((row) => row.accountId === account.id)
                      .map((row) => (
                        <tr key={`cash-${row.currency}`} class="cash">
                          <th scope="row">Cash {row.currency}</th>
                          <td class="num" />
                          <td class="num" />
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

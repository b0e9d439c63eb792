import type { AppModels } from '../appModels.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { formatMoney } from '../format/numbers.ts';

export function AccountsPage({ models }: { models: AppModels }) {
  const accounts = models.data.accounts.value;
  return (
    <>
      <h1>Accounts</h1>
      {accounts.length === 0 ? (
        <p class="muted">No accounts yet: they appear after the first sync.</p>
      ) : (
        <div class="table-scroll card">
          <table>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Institution</th>
                <th scope="col">Currency</th>
                <th scope="col" class="num">
                  Balance
                </th>
                <th scope="col">Sync</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td>{account.name}</td>
                  <td>{account.institution}</td>
                  <td>{account.currency}</td>
                  <td class="num">{formatMoney(account.balance, account.balanceCurrency ?? account.currency)}</td>
                  <td>
                    <StateBadge
                      status={account.syncStatus}
                      syncEnabled={account.syncEnabled}
                      removed={account.removedAt !== null}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

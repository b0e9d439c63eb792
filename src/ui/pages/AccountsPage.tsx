import type { AppModels } from '../appModels.ts';
import { badgeStatus, StateBadge } from '../components/StateBadge.tsx';
import { formatMoney } from '../format/numbers.ts';

export function AccountsPage({ models }: { models: Pick<AppModels, 'data' | 'sync'> }) {
  const accounts = models.data.accounts.value;
  const syncing = models.sync.syncing.value;
  return (
    <>
      <h1>Accounts</h1>
      {accounts.length === 0 ? (
        <p class="muted">No accounts yet: they appear after the first sync.</p>
      ) : (
        <div class="card">
          <table class="stacked" aria-label="Accounts">
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
                  <td data-label="Account">{account.name}</td>
                  <td data-label="Institution">{account.institution}</td>
                  <td data-label="Currency">{account.currency}</td>
                  <td class="num" data-label="Balance">
                    {formatMoney(account.balance, account.balanceCurrency ?? account.currency)}
                  </td>
                  <td data-label="Sync">
                    <StateBadge
                      status={badgeStatus(account, syncing)}
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

import type { AppModels } from '../appModels.ts';
import { formatDate, formatMoney, formatQuantity } from '../format/numbers.ts';

const number = new Intl.NumberFormat();

export function ActivitiesPage({ models }: { models: AppModels }) {
  const { data } = models;
  const activities = data.activities.value;
  const total = data.activityCount.value;
  return (
    <>
      <h1>Activities</h1>
      <p class="muted">
        {number.format(total)} activities, newest first
        {total > activities.length ? `; showing ${number.format(activities.length)}` : ''}.
      </p>
      <div class="table-scroll card">
        <table class="activities">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Account</th>
              <th scope="col">Type</th>
              <th scope="col">Symbol</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {activities.map((activity) => (
              <tr key={activity.id} class={activity.needsReview ? 'needs-review' : undefined}>
                <td>{formatDate(activity.date)}</td>
                <td>{activity.accountName}</td>
                <td>
                  {activity.type}
                  {activity.needsReview && (
                    <>
                      {' '}
                      <span class="badge badge-needs-review" title={activity.reviewReasons.join('; ')}>
                        Needs Review
                      </span>{' '}
                      <button type="button" class="small" onClick={() => void models.confirmActivity(activity.id)}>
                        Confirm
                      </button>
                    </>
                  )}
                </td>
                <td>{activity.symbol}</td>
                <td class="num">{formatQuantity(activity.quantity)}</td>
                <td class="num">{formatMoney(activity.amount, activity.currency)}</td>
                <td>{activity.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > activities.length && (
        <button type="button" onClick={() => data.showMoreActivities()}>
          Show more
        </button>
      )}
    </>
  );
}

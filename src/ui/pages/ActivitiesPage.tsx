import type { ActivityView } from '../../storage/views.ts';
import type { AppModels } from '../appModels.ts';
import { formatDate, formatMoney, formatQuantity } from '../format/numbers.ts';

const number = new Intl.NumberFormat();

function ActivityRows({ activities, models }: { activities: ActivityView[]; models: AppModels }) {
  return (
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
                <span class="badge badge-needs-review">Needs Review</span>{' '}
                <button type="button" class="small" onClick={() => void models.confirmActivity(activity.id)}>
                  Confirm
                </button>
              </>
            )}
          </td>
          <td>{activity.symbol}</td>
          <td class="num">{formatQuantity(activity.quantity)}</td>
          <td class="num">{formatMoney(activity.amount, activity.currency)}</td>
          <td>
            {activity.description}
            {activity.reviewReasons.length > 0 && (
              <small class="muted reasons">{activity.reviewReasons.join('; ')}</small>
            )}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

function ActivityTable({
  activities,
  models,
  label,
}: {
  activities: ActivityView[];
  models: AppModels;
  label: string;
}) {
  return (
    <div class="table-scroll card">
      <table class="activities" aria-label={label}>
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
        <ActivityRows activities={activities} models={models} />
      </table>
    </div>
  );
}

export function ActivitiesPage({ models }: { models: AppModels }) {
  const { data } = models;
  const activities = data.activities.value;
  const toReview = data.toReview.value;
  const total = data.activityCount.value;
  return (
    <>
      <h1>Activities</h1>
      {toReview.length > 0 && (
        <section aria-labelledby="review-title">
          <h2 id="review-title">
            {toReview.length} {toReview.length === 1 ? 'activity needs' : 'activities need'} review
          </h2>
          <p class="muted">It does not count until you confirm it.</p>
          <ActivityTable activities={toReview} models={models} label="Needs review" />
        </section>
      )}
      <p class="muted">
        {number.format(total)} activities, newest first
        {total > activities.length ? `; showing ${number.format(activities.length)}` : ''}.
      </p>
      <ActivityTable activities={activities} models={models} label="All activities" />
      {total > activities.length && (
        <button type="button" onClick={() => data.showMoreActivities()}>
          Show more
        </button>
      )}
    </>
  );
}

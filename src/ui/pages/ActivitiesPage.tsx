import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { KNOWN_TYPES } from '../../core/needsReview.ts';
import type { ActivityView } from '../../storage/views.ts';
import type { AppModels } from '../appModels.ts';
import { bindValue } from '../components/bindValue.ts';
import { formatDate, formatMoney, formatQuantity } from '../format/numbers.ts';
import { ROW_HEIGHT } from '../models/activitiesModel.ts';

const number = new Intl.NumberFormat();
const CORRECTABLE_TYPES = [...KNOWN_TYPES].filter((type) => type !== 'UNKNOWN');

function Cells({ activity }: { activity: ActivityView }) {
  return (
    <>
      <td>{formatDate(activity.date)}</td>
      <td>{activity.accountName}</td>
      <td>
        {activity.type}
        {activity.needsReview && <span class="badge badge-needs-review">Needs Review</span>}
      </td>
      <td>{activity.symbol}</td>
      <td class="num">{formatQuantity(activity.quantity)}</td>
      <td class="num">{formatMoney(activity.amount, activity.currency)}</td>
      <td title={activity.description ?? undefined}>{activity.description}</td>
    </>
  );
}

const HEADINGS = (
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
);

/** The correction form of one flagged activity. */
function Correction({ activity, models }: { activity: ActivityView; models: AppModels }) {
  const type = useSignal(CORRECTABLE_TYPES.includes(activity.type) ? activity.type : 'BUY');
  const quantity = useSignal(activity.quantity ?? '');
  const price = useSignal(activity.unitPrice ?? '');
  const amount = useSignal(activity.amount ?? '');
  const date = useSignal(activity.date.slice(0, 10));
  return (
    <form
      class="correction"
      aria-label={`Correct ${activity.description ?? activity.id}`}
      onSubmit={(event) => {
        event.preventDefault();
        void models.review.decide(activity.id, {
          kind: 'correct',
          correction: {
            activityType: type.value,
            quantity: quantity.value,
            unitPrice: price.value,
            amount: amount.value,
            activityDate: date.value,
          },
        });
      }}
    >
      <label>
        Type
        <select {...bindValue(type)}>
          {CORRECTABLE_TYPES.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </label>
      <label>
        Quantity
        <input inputMode="decimal" {...bindValue(quantity)} />
      </label>
      <label>
        Price
        <input inputMode="decimal" {...bindValue(price)} />
      </label>
      <label>
        Amount
        <input inputMode="decimal" {...bindValue(amount)} />
      </label>
      <label>
        Date
        <input type="date" required {...bindValue(date)} />
      </label>
      <div class="actions">
        <button type="submit" class="primary" disabled={models.review.busy.value}>
          Save correction
        </button>
        <button type="button" onClick={() => (models.review.editing.value = null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReviewQueue({ models }: { models: AppModels }) {
  const queue = models.activities.toReview.value;
  const { review } = models;
  if (queue.length === 0) return null;
  return (
    <section class="card" aria-labelledby="review-title">
      <h2 id="review-title">
        {queue.length} {queue.length === 1 ? 'activity needs' : 'activities need'} review
      </h2>
      <p class="muted">
        They do not count in your holdings until you decide: Confirm takes one as it is (an UNKNOWN type still moves no
        shares), Correct says what it really was, Delete removes it for good.
      </p>
      {review.error.value && (
        <p class="notice" role="alert">
          {review.error.value}
        </p>
      )}
      <ul class="review-queue" aria-label="Needs review">
        {queue.map((activity) => (
          <li key={activity.id}>
            <p>
              <strong>{formatDate(activity.date)}</strong> · {activity.accountName} · {activity.type}{' '}
              {activity.symbol && <>· {activity.symbol} </>}
              {activity.quantity && <>· {formatQuantity(activity.quantity)} units </>}
              {activity.amount && <>· {formatMoney(activity.amount, activity.currency)}</>}
            </p>
            <p>{activity.description}</p>
            <p class="muted">Why: {activity.reviewReasons.join('; ')}</p>
            {review.editing.value === activity.id ? (
              <Correction activity={activity} models={models} />
            ) : (
              <div class="actions">
                <button
                  type="button"
                  class="primary"
                  disabled={review.busy.value}
                  onClick={() => void review.decide(activity.id, { kind: 'confirm' })}
                >
                  Confirm
                </button>
                <button type="button" disabled={review.busy.value} onClick={() => (review.editing.value = activity.id)}>
                  Correct
                </button>
                <button
                  type="button"
                  disabled={review.busy.value}
                  onClick={() => void review.decide(activity.id, { kind: 'delete' })}
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Filters({ models }: { models: AppModels }) {
  const { activities, data } = models;
  return (
    <search>
      <form class="filters" aria-label="Filter activities" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search
          <input type="search" placeholder="Symbol or description" {...bindValue(activities.search)} />
        </label>
        <label>
          Account
          <select {...bindValue(activities.accountId)}>
            <option value="">All accounts</option>
            {data.accounts.value.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select {...bindValue(activities.type)}>
            <option value="">All types</option>
            {activities.types.value.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" {...bindValue(activities.from)} />
        </label>
        <label>
          To
          <input type="date" {...bindValue(activities.to)} />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={activities.needsReview.value}
            onChange={(event) => {
              activities.needsReview.value = (event.currentTarget as HTMLInputElement).checked;
            }}
          />
          Needs review
        </label>
      </form>
    </search>
  );
}

/** Only the rows in view are in the DOM; spacers keep the scroll bar true to the whole list. */
function ActivityList({ models }: { models: AppModels }) {
  const { activities } = models;
  const scroller = useRef<HTMLDivElement>(null);
  const total = activities.total.value;
  const rows = activities.rows.value;
  const first = activities.first.value;
  const report = () => {
    const element = scroller.current;
    if (element) activities.setViewport(element.scrollTop, element.clientHeight);
  };
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(report);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // A new filter starts at the top.
  const filterKey = [
    activities.search.value,
    activities.accountId.value,
    activities.type.value,
    activities.from.value,
    activities.to.value,
    activities.needsReview.value,
  ].join('\u001f');
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    report();
  }, [filterKey]);
  const after = Math.max(0, total - first - rows.length);
  return (
    <div class="activity-scroller card" ref={scroller} onScroll={report}>
      <table class="activities" aria-label="All activities" aria-rowcount={total + 1}>
        <thead>{HEADINGS}</thead>
        <tbody>
          {first > 0 && <tr class="spacer" style={{ height: `${first * ROW_HEIGHT}px` }} />}
          {rows.map((activity, index) => (
            <tr
              key={activity.id}
              aria-rowindex={first + index + 2}
              class={activity.needsReview ? 'needs-review' : undefined}
            >
              <Cells activity={activity} />
            </tr>
          ))}
          {after > 0 && <tr class="spacer" style={{ height: `${after * ROW_HEIGHT}px` }} />}
        </tbody>
      </table>
    </div>
  );
}

export function ActivitiesPage({ models }: { models: AppModels }) {
  const total = models.activities.total.value;
  return (
    <>
      <h1>Activities</h1>
      <ReviewQueue models={models} />
      <Filters models={models} />
      <p class="muted" aria-live="polite">
        {number.format(total)} {total === 1 ? 'activity' : 'activities'}, newest first.
      </p>
      <ActivityList models={models} />
    </>
  );
}

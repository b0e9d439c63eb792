import { useSignal } from '@preact/signals';
import type { ComponentChild, RefObject } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { KNOWN_TYPES } from '../../core/needsReview.ts';
import type { ReviewDecision } from '../../core/review.ts';
import type { ActivityView } from '../../storage/views.ts';
import type { AppModels } from '../appModels.ts';
import { bindValue } from '../components/bindValue.ts';
import { PHONE_QUERY, useMediaQuery } from '../components/useMediaQuery.ts';
import { formatDate, formatMoney, formatQuantity } from '../format/numbers.ts';
import { type CorrectionField, correctionProblems } from '../models/reviewModel.ts';

type Models = Pick<AppModels, 'activities' | 'review' | 'data'>;

const number = new Intl.NumberFormat();
const CORRECTABLE_TYPES = [...KNOWN_TYPES].filter((type) => type !== 'UNKNOWN');

/** Every table row, and every card, is this tall (styles.css keeps them so): what lets the list be windowed. */
const ROW_HEIGHT = 40;
const CARD_HEIGHT = 84;
/** Narrower than this, the table's seven columns do not fit beside the sidebar: rows become cards. */
const CARDS_QUERY = '(max-width: 1000px)';

const units = (quantity: string): string => `${formatQuantity(quantity)} ${quantity === '1' ? 'unit' : 'units'}`;

/** An activity in a few words, for buttons that must say which one they act on. */
const describe = (activity: ActivityView): string =>
  `${activity.description ?? [activity.type, activity.symbol].filter(Boolean).join(' ')} on ${formatDate(activity.date)}`;

function Cells({ activity }: { activity: ActivityView }) {
  return (
    <>
      <td>{formatDate(activity.date)}</td>
      <td class="account" title={activity.accountName}>
        {activity.accountName}
      </td>
      <td>
        {activity.type}
        {activity.needsReview && <span class="badge badge-needs-review">Needs Review</span>}
      </td>
      <td class="symbol">{activity.symbol}</td>
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

/** One activity as a phone card: what and how much, then when and where, then the description. */
function Card({ activity }: { activity: ActivityView }) {
  return (
    <>
      <p class="card-line">
        <strong class="truncate">
          {activity.type}
          {activity.symbol && ` ${activity.symbol}`}
        </strong>
        {activity.needsReview && <span class="badge badge-needs-review">Needs Review</span>}
        <span class="num">{formatMoney(activity.amount, activity.currency)}</span>
      </p>
      {/* Only the account's name gives way to a long name: the date and the units stay whole. */}
      <p class="card-line muted">
        <span class="whole">{formatDate(activity.date)} ·</span>
        <span class="truncate shrink">{activity.accountName}</span>
        {activity.quantity && <span class="whole">· {units(activity.quantity)}</span>}
      </p>
      <p class="card-line">
        <span class="truncate">{activity.description}</span>
      </p>
    </>
  );
}

/** A label, its field, and what is wrong with the field, told beside it. */
function Field({
  label,
  problem,
  children,
}: {
  label: string;
  problem: string | undefined;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ComponentChild;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({
        id,
        ...(problem ? { 'aria-invalid': true, 'aria-describedby': `${id}-problem` } : {}),
      })}
      {problem && (
        <span class="field-error" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

/** The correction form of one flagged activity. */
function Correction({
  activity,
  models,
  onDecide,
}: {
  activity: ActivityView;
  models: Models;
  onDecide: (decision: ReviewDecision) => void;
}) {
  const type = useSignal(CORRECTABLE_TYPES.includes(activity.type) ? activity.type : 'BUY');
  const quantity = useSignal(activity.quantity ?? '');
  const price = useSignal(activity.unitPrice ?? '');
  const amount = useSignal(activity.amount ?? '');
  const date = useSignal(activity.date.slice(0, 10));
  const problems = useSignal<Partial<Record<CorrectionField, string>>>({});
  const form = useRef<HTMLFormElement>(null);
  // Opening the form moves focus into it.
  useEffect(() => form.current?.querySelector('select')?.focus(), []);
  return (
    <form
      class="correction"
      ref={form}
      noValidate
      aria-label={`Correct ${describe(activity)}`}
      onSubmit={(event) => {
        event.preventDefault();
        const correction = {
          activityType: type.value,
          quantity: quantity.value,
          unitPrice: price.value,
          amount: amount.value,
          activityDate: date.value,
        };
        problems.value = correctionProblems(correction);
        if (Object.keys(problems.value).length > 0) {
          // After the render that marks them: the first field to fix.
          requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
          return;
        }
        onDecide({ kind: 'correct', correction });
      }}
    >
      <Field label="Type" problem={undefined}>
        {(props) => (
          <select {...props} {...bindValue(type)}>
            {CORRECTABLE_TYPES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Quantity" problem={problems.value.quantity}>
        {(props) => <input inputMode="decimal" {...props} {...bindValue(quantity)} />}
      </Field>
      <Field label="Price" problem={problems.value.unitPrice}>
        {(props) => <input inputMode="decimal" {...props} {...bindValue(price)} />}
      </Field>
      <Field label="Amount" problem={problems.value.amount}>
        {(props) => <input inputMode="decimal" {...props} {...bindValue(amount)} />}
      </Field>
      <Field label="Date" problem={problems.value.activityDate}>
        {(props) => <input type="date" {...props} {...bindValue(date)} />}
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={models.review.busy.value}>
          Save correction
        </button>
        <button type="button" onClick={() => (models.review.open.value = null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** One flagged activity: what it is, why it was flagged, and the three decisions. */
function ReviewItem({
  activity,
  models,
  onDecide,
}: {
  activity: ActivityView;
  models: Models;
  onDecide: (decision: ReviewDecision) => void;
}) {
  const { review } = models;
  const open = review.open.value?.id === activity.id ? review.open.value.kind : null;
  const failure = review.failure.value?.id === activity.id ? review.failure.value.message : null;
  const name = describe(activity);
  const correctButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  // The button focus goes back to once the form or the question closes without a decision.
  const returnTo = useRef<'correct' | 'delete'>('correct');
  const wasOpen = useRef(open);
  useEffect(() => {
    if (open === 'delete' && wasOpen.current !== 'delete') keepButton.current?.focus();
    if (open === null && wasOpen.current !== null)
      (returnTo.current === 'delete' ? deleteButton : correctButton).current?.focus();
    wasOpen.current = open;
  }, [open]);
  /** Opens the correction form or the delete question, noting where focus goes back to. */
  const opener = (kind: 'correct' | 'delete') => () => {
    returnTo.current = kind;
    review.open.value = { id: activity.id, kind };
  };
  const hidden = <span class="visually-hidden"> {name}</span>;
  return (
    <>
      {failure && (
        <p class="notice" role="alert">
          {failure}
        </p>
      )}
      <div class="review-item">
        <div>
          <p>
            <strong>{formatDate(activity.date)}</strong> · {activity.accountName} · {activity.type}{' '}
            {activity.symbol && <>· {activity.symbol} </>}
            {activity.quantity && <>· {units(activity.quantity)} </>}
            {activity.amount && <>· {formatMoney(activity.amount, activity.currency)}</>}
          </p>
          <p>{activity.description}</p>
          <p class="muted">Why: {activity.reviewReasons.join('; ')}</p>
        </div>
        {open === null && (
          <div class="actions">
            <button
              type="button"
              class="primary"
              disabled={review.busy.value}
              onClick={() => onDecide({ kind: 'confirm' })}
            >
              Confirm{hidden}
            </button>
            <button type="button" ref={correctButton} disabled={review.busy.value} onClick={opener('correct')}>
              Correct{hidden}
            </button>
            <button type="button" ref={deleteButton} disabled={review.busy.value} onClick={opener('delete')}>
              Delete{hidden}
            </button>
          </div>
        )}
        {open === 'delete' && (
          <fieldset class="confirm-delete">
            <legend>Delete this activity?</legend>
            <button
              type="button"
              class="danger"
              disabled={review.busy.value}
              onClick={() => onDecide({ kind: 'delete' })}
            >
              Delete{hidden}
            </button>
            <button type="button" ref={keepButton} onClick={() => (review.open.value = null)}>
              Cancel
            </button>
          </fieldset>
        )}
      </div>
      {open === 'correct' && <Correction activity={activity} models={models} onDecide={onDecide} />}
    </>
  );
}

function ReviewQueue({ models }: { models: Models }) {
  const { activities, review } = models;
  const queue = activities.toReview.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // A decided activity leaves the queue when this tab's copy reloads, after the worker's answer:
  // then focus goes to the card now in its place, or to the heading when none is left.
  const leaving = useRef<{ id: string; index: number } | null>(null);
  const [decided, setDecided] = useState(false);
  useEffect(() => {
    const pending = leaving.current;
    if (!pending || queue.some((activity) => activity.id === pending.id)) return;
    leaving.current = null;
    const cards = list.current?.children;
    const next = cards?.[Math.min(pending.index, cards.length - 1)];
    (next instanceof HTMLElement ? next : heading.current)?.focus();
  });
  if (queue.length === 0 && !decided) return null;
  const decide = async (activity: ActivityView, index: number, decision: ReviewDecision) => {
    if (!(await review.decide(activity.id, decision))) return;
    leaving.current = { id: activity.id, index };
    setDecided(true);
  };
  return (
    <section class="card review" aria-labelledby="review-title">
      <h2 id="review-title" tabIndex={-1} ref={heading}>
        {queue.length === 0
          ? 'Every flagged activity is reviewed'
          : `${queue.length} ${queue.length === 1 ? 'activity needs' : 'activities need'} review`}
      </h2>
      {queue.length > 0 && (
        <>
          <p class="muted">
            Not in your holdings until you decide: Confirm takes it as it is, Correct says what it really was, Delete
            removes it for good.
          </p>
          <ul class="review-queue" aria-label="Needs review" ref={list}>
            {queue.map((activity, index) => (
              <li key={activity.id} tabIndex={-1}>
                <ReviewItem
                  activity={activity}
                  models={models}
                  onDecide={(decision) => void decide(activity, index, decision)}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The filters beyond the search, counted for the phone's toggle. */
function moreFilters({ activities }: Models): number {
  return (
    [activities.accountId.value, activities.type.value, activities.from.value, activities.to.value].filter(
      (value) => value !== '',
    ).length + (activities.needsReview.value ? 1 : 0)
  );
}

function Filters({ models }: { models: Models }) {
  const { activities, data } = models;
  const reversed = activities.datesReversed.value;
  const datesProblem = reversed ? { 'aria-invalid': true, 'aria-describedby': 'dates-problem' } : {};
  // On a phone the search is always there and the rest behind a toggle, so the list starts near the top.
  const phone = useMediaQuery(PHONE_QUERY);
  const expanded = useSignal(false);
  const active = moreFilters(models);
  const shown = !phone || expanded.value;
  return (
    <search>
      <form class="filters" aria-label="Filter activities" onSubmit={(event) => event.preventDefault()}>
        <label class="grow">
          Search
          <input type="search" placeholder="Symbol or description" {...bindValue(activities.search)} />
        </label>
        {phone && (
          <button
            type="button"
            aria-expanded={shown}
            aria-controls="more-filters"
            onClick={() => (expanded.value = !shown)}
          >
            Filters{active > 0 && ` (${active})`}
          </button>
        )}
        <div class="more-filters" id="more-filters" hidden={!shown}>
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
            <input type="date" {...datesProblem} {...bindValue(activities.from)} />
          </label>
          <label>
            To
            <input type="date" {...datesProblem} {...bindValue(activities.to)} />
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
        </div>
        {reversed && (
          <p class="field-error" id="dates-problem">
            From is after To: no activity can match.
          </p>
        )}
      </form>
    </search>
  );
}

/**
 * Only the rows in view are in the DOM; the page itself scrolls (no scroll box inside it), and
 * spacers keep the scroll bar true to the whole list.
 */
function ActivityList({ models }: { models: Models }) {
  const { activities } = models;
  const cards = useMediaQuery(CARDS_QUERY);
  const rowHeight = cards ? CARD_HEIGHT : ROW_HEIGHT;
  const body = useRef<HTMLElement>(null);
  useEffect(() => {
    const report = () => {
      const element = body.current;
      if (element)
        activities.setViewport({
          top: Math.max(0, -element.getBoundingClientRect().top),
          height: window.innerHeight,
          rowHeight,
        });
    };
    // Content above the list (the review queue) can grow or shrink without a scroll.
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    window.addEventListener('scroll', report, { passive: true });
    window.addEventListener('resize', report);
    return () => {
      observer.disconnect();
      window.removeEventListener('scroll', report);
      window.removeEventListener('resize', report);
    };
  }, [rowHeight]);
  const total = activities.total.value;
  const rows = activities.rows.value;
  const first = activities.first.value;
  const after = Math.max(0, total - first - rows.length);
  if (cards)
    return (
      <ul
        class="activity-cards card"
        aria-label="All activities"
        ref={body as RefObject<HTMLUListElement>}
        style={{ paddingTop: `${first * CARD_HEIGHT}px`, paddingBottom: `${after * CARD_HEIGHT}px` }}
      >
        {rows.map((activity, index) => (
          <li
            key={activity.id}
            aria-setsize={total}
            aria-posinset={first + index + 1}
            class={activity.needsReview ? 'needs-review' : undefined}
          >
            <Card activity={activity} />
          </li>
        ))}
      </ul>
    );
  return (
    <div class="card activity-table">
      <table class="activities" aria-label="All activities" aria-rowcount={total + 1}>
        <thead>{HEADINGS}</thead>
        <tbody ref={body as RefObject<HTMLTableSectionElement>}>
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

/** What an empty list means: nothing synced yet, or filters that match nothing (and the way out). */
function EmptyList({ models }: { models: Models }) {
  const { activities } = models;
  if (!activities.filtering.value)
    return <p class="card empty">No activities yet: they appear after the first sync.</p>;
  return (
    <div class="card empty">
      <p>No activities match these filters.</p>
      <button type="button" onClick={() => activities.clearFilters()}>
        Clear filters
      </button>
    </div>
  );
}

export function ActivitiesPage({ models }: { models: Models }) {
  const total = models.activities.total.value;
  const settled = models.activities.settled.value;
  // Before the tab's copy first loads there is no count to give: not "0 activities".
  const loaded = models.data.version.value > 0;
  return (
    <>
      <header class="page-header">
        <h1 tabIndex={-1}>Activities</h1>
        <p class="muted" aria-live="polite">
          {loaded
            ? `${number.format(total)} ${total === 1 ? 'activity' : 'activities'}, newest first.`
            : 'Opening your activities…'}
        </p>
      </header>
      <ReviewQueue models={models} />
      <Filters models={models} />
      {total > 0 ? <ActivityList models={models} /> : settled && <EmptyList models={models} />}
    </>
  );
}

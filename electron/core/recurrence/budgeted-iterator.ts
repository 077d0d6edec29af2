// ical.js's RecurIterator with every candidate it tests charged to an ExpansionBudget, and an optional
// horizon past which it stops searching: its search for the next match has no bound for most
// frequencies. Never changes which instants the iterator yields before the horizon.
import ICAL from 'ical.js';
import type { ExpansionBudget } from './expansion-budget.ts';
import { floatingSeconds } from './fast-forward.ts';
import { FastTime, type TimeInternals } from './fast-time.ts';

interface Limits {
  budget: ExpansionBudget;
  /** Wall-clock seconds (floatingSeconds) after which no candidate can matter to the caller. */
  horizon?: number;
}

/** Thrown by next() (or the constructor) when the search passed the horizon: no more instants before it. */
export class PastHorizon extends Error {
  constructor() {
    super('the recurrence search passed its horizon');
    this.name = 'PastHorizon';
  }
}

const limitsOf = new WeakMap<object, Limits>();
// ical.js initialises (and for YEARLY rules searches) inside its constructor, before the WeakMap
// knows the instance: the limits being constructed with stand in until then.
let constructing: Limits | undefined;

// One day-step of increment_monthday costs about a hundredth of a candidate test; a huge INTERVAL
// (DAILY;INTERVAL=2000000000 loops two billion times in one call) is charged before it runs.
const DAY_STEPS_PER_CHARGE = 256;

function charge(it: ICAL.RecurIterator, n: number, candidate: ICAL.Time | null): void {
  const limits = limitsOf.get(it) ?? constructing;
  if (!limits) return;
  limits.budget.charge(n);
  // The candidate only moves forward (past the horizon, nothing earlier can come).
  if (candidate && limits.horizon !== undefined && floatingSeconds(candidate) > limits.horizon) throw new PastHorizon();
}

/**
 * `inc` days on from `last`, as ical.js's increment_monthday moves it, without its round trip through
 * normalisation on every day: ical.js sets `day` past the month's end through a setter and reads it back,
 * which runs Time.adjust on all the fields each time (~8% of a year's preview). The fields are read
 * through the getters first (a candidate set past its range is normalised as ical.js would), then step
 * day by day with the month's length, and are left normal, as ical.js leaves them. A Time not laid out
 * as ical.js 2 lays it out is left to ical.js (`fallback`).
 */
export function stepDays(last: ICAL.Time, inc: number, fallback: () => void): void {
  const t = last as unknown as TimeInternals;
  if (!t._time || typeof t._time.day !== 'number') {
    fallback();
    return;
  }
  let year = last.year;
  let month = last.month;
  let day = last.day;
  for (let i = 0; i < inc; i++) {
    day++;
    if (day > ICAL.Time.daysInMonth(month, year)) {
      day = 1;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  t._time.year = year;
  t._time.month = month;
  t._time.day = day;
  t._cachedUnixTime = null;
  t._pendingNormalization = false;
}

class BudgetedRecurIterator extends ICAL.RecurIterator {
  override check_contracting_rules(): boolean {
    charge(this, 1, this.last);
    return super.check_contracting_rules();
  }

  override increment_monthday(inc: number): void {
    charge(this, Math.floor(inc / DAY_STEPS_PER_CHARGE), null);
    stepDays(this.last, inc, () => super.increment_monthday(inc));
  }

  override expand_year_days(year: number): number {
    charge(this, 1, null);
    return super.expand_year_days(year);
  }
}

/**
 * An iterator over one rule from dtstart; next() throws BudgetExhausted when the budget is spent and
 * PastHorizon (so may the constructor) once it searches beyond `horizon`.
 */
export function budgetedIterator(rule: ICAL.Recur, dtstart: ICAL.Time, budget: ExpansionBudget, horizon?: number): ICAL.RecurIterator {
  const outer = constructing;
  const limits = { budget, horizon };
  constructing = limits;
  try {
    // Its candidate, and every instant cloned from it, clones without ical.js's fromData (fast-time.ts).
    const it = new BudgetedRecurIterator({ rule, dtstart: FastTime.of(dtstart) });
    limitsOf.set(it, limits);
    return it;
  } finally {
    constructing = outer;
  }
}

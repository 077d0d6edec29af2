// ical.js's RecurIterator with every candidate it tests charged to an ExpansionBudget, and an optional
// horizon past which it stops searching: its search for the next match has no bound for most
// frequencies. Never changes which instants the iterator yields before the horizon.
import ICAL from 'ical.js';
import type { ExpansionBudget } from './expansion-budget.ts';
import { floatingSeconds } from './fast-forward.ts';
import { FastTime } from './fast-time.ts';

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

class BudgetedRecurIterator extends ICAL.RecurIterator {
  override check_contracting_rules(): boolean {
    charge(this, 1, this.last);
    return super.check_contracting_rules();
  }

  override increment_monthday(inc: number): void {
    charge(this, Math.floor(inc / DAY_STEPS_PER_CHARGE), null);
    super.increment_monthday(inc);
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

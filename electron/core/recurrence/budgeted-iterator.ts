// ical.js's RecurIterator with every candidate it tests charged to an ExpansionBudget: its search for
// the next match has no bound for most frequencies, so the budget is the only way out. Never changes
// which instants the iterator yields.
import ICAL from 'ical.js';
import type { ExpansionBudget } from './expansion-budget.ts';

const budgets = new WeakMap<object, ExpansionBudget>();
// ical.js initialises (and for YEARLY rules searches) inside its constructor, before the WeakMap
// knows the instance: the budget being constructed with stands in until then.
let constructing: ExpansionBudget | undefined;

function charge(it: object, n: number): void {
  (budgets.get(it) ?? constructing)?.charge(n);
}

// One day-step of increment_monthday costs about a hundredth of a candidate test; a huge INTERVAL
// (DAILY;INTERVAL=2000000000 loops two billion times in one call) is charged before it runs.
const DAY_STEPS_PER_CHARGE = 256;

class BudgetedRecurIterator extends ICAL.RecurIterator {
  override check_contracting_rules(): boolean {
    charge(this, 1);
    return super.check_contracting_rules();
  }

  override increment_monthday(inc: number): void {
    charge(this, Math.floor(inc / DAY_STEPS_PER_CHARGE));
    super.increment_monthday(inc);
  }

  override expand_year_days(year: number): number {
    charge(this, 1);
    return super.expand_year_days(year);
  }
}

/** An iterator over one rule from dtstart; next() throws BudgetExhausted when the budget is spent. */
export function budgetedIterator(rule: ICAL.Recur, dtstart: ICAL.Time, budget: ExpansionBudget): ICAL.RecurIterator {
  const outer = constructing;
  constructing = budget;
  try {
    const it = new BudgetedRecurIterator({ rule, dtstart });
    budgets.set(it, budget);
    return it;
  } finally {
    constructing = outer;
  }
}

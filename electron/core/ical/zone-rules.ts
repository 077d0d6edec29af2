// Checks a VTIMEZONE's observance rules before ical.js expands them: ical.js walks every RRULE from
// its DTSTART with no bound, so a rule that never matches hangs it and one that fires daily fills memory.
// Must never call ical.js's own (unbounded) iterator or Timezone on the component it checks.
import ICAL from 'ical.js';
import { MAX_ZONE_CHANGES_PER_YEAR, MAX_ZONE_RULE_STEPS } from '../limits.ts';
import { budgetedIterator, PastHorizon } from '../recurrence/budgeted-iterator.ts';
import { BudgetExhausted, ExpansionBudget } from '../recurrence/expansion-budget.ts';
import { floatingSeconds } from '../recurrence/fast-forward.ts';
import { ZoneFactMemo, zoneFact } from './zone-facts.ts';

// The Gregorian calendar repeats every 400 years: a rule with a match in the 401 years from its
// DTSTART matches forever (or until its UNTIL/COUNT), so ical.js's search for the next one ends.
const CYCLE_YEARS = 401;
// Years after which a rule that matches, sparsely enough, is taken as it is: every kind of year
// (14 calendars, leap and common, by weekday) occurs several times in 60.
const SETTLED_YEARS = 60;
// Processor time for one rule; a yearly rule needs well under a millisecond.
const RULE_MS = 250;

/** Why the zone's rules cannot be expanded safely, or undefined when they can. */
export function zoneRuleProblem(zone: ICAL.Component): string | undefined {
  for (const obs of zone.getAllSubcomponents()) {
    if (obs.name !== 'standard' && obs.name !== 'daylight') continue;
    const rules = obs.getAllProperties('rrule');
    if (rules.length === 0) continue;
    const dtstart = obs.getFirstPropertyValue('dtstart');
    if (!(dtstart instanceof ICAL.Time)) continue;
    for (const prop of rules) {
      const rule = prop.getFirstValue();
      if (!(rule instanceof ICAL.Recur)) return `its ${obs.name.toUpperCase()} rule cannot be read`;
      const why = ruleProblem(rule, dtstart);
      if (why) return `its ${obs.name.toUpperCase()} rule "${prop.toICALString().replace(/^RRULE:/i, '')}" ${why}`;
    }
  }
  return undefined;
}

// By rule and start: a mailbox repeats the same few zones in every invitation, and checking one rule
// costs up to ~15 ms (a fresh process ~95 ms for its first zone). Kept across runs by the sync cache
// (zone-facts.ts); the version names every limit the verdict depends on: bump the "1" when the check changes.
const ruleFacts = new ZoneFactMemo('zone-rule', `1|${CYCLE_YEARS}|${SETTLED_YEARS}|${MAX_ZONE_CHANGES_PER_YEAR}|${MAX_ZONE_RULE_STEPS}`,
  (v): v is string | null => v === null || (typeof v === 'string' && v.length > 0 && v.length <= 2000));

function ruleProblem(rule: ICAL.Recur, dtstart: ICAL.Time): string | undefined {
  const key = `${dtstart.toString()}|${rule.toString()}`;
  // A verdict of the processor-time limit depends on the machine's load at the time: never stored.
  return zoneFact(ruleFacts, key, () => {
    const r = checkRule(rule, dtstart);
    return { value: r?.why ?? null, durable: !r?.timed };
  }) ?? undefined;
}

function checkRule(rule: ICAL.Recur, dtstart: ICAL.Time): { why: string; timed?: boolean } | undefined {
  const start = floatingSeconds(dtstart);
  const horizon = floatingSeconds(ICAL.Time.fromData({ year: dtstart.year + CYCLE_YEARS, month: 1, day: 1, isDate: true }));
  const budget = new ExpansionBudget({ maxSteps: MAX_ZONE_RULE_STEPS, maxMs: RULE_MS }, undefined, (limit) => `could not be checked within ${limit} (it never matches, or changes the offset too often)`);
  let changes = 0;
  let ended = false;
  try {
    const it = budgetedIterator(rule.clone(), dtstart.clone(), budget, horizon);
    for (let t = it.next(); t; t = it.next()) {
      // ical.js yields DTSTART first whether or not the rule matches it.
      if (floatingSeconds(t) <= start) continue;
      const years = t.year - dtstart.year + 1;
      if (++changes > MAX_ZONE_CHANGES_PER_YEAR * years) return { why: `changes the offset more than ${MAX_ZONE_CHANGES_PER_YEAR} times a year` };
      // A rule that has matched, sparsely, through every kind of year has shown what it does: the
      // rest of the cycle costs a fresh process ~10 ms per zone for nothing.
      if (years > SETTLED_YEARS) break;
    }
    ended = true;
  } catch (err) {
    if (err instanceof BudgetExhausted) return { why: err.reason, timed: err.timed };
    if (!(err instanceof PastHorizon)) return { why: `cannot be expanded (${(err as Error).message})` };
  }
  // ended: the rule's COUNT or UNTIL stopped it, or ical.js gave up by itself (MONTHLY and YEARLY have a
  // give-up counter); it does the same when it builds the zone. Past the horizon with no match: it
  // never matches (or only after centuries), and ical.js would search for one forever.
  if (changes === 0 && !ended) return { why: `never occurs in the ${CYCLE_YEARS} years after its DTSTART` };
  return undefined;
}

// Walks the occurrences of one recurring component that can touch a range: DTSTART, every RDATE, and
// each RRULE started near the range where fast-forward allows, minus EXDATEs, through the overrides.
// Every rule step is charged to a budget; running out is an answer (complete: false), never a hang.
import ICAL from 'ical.js';
import { PastHorizon, budgetedIterator } from './budgeted-iterator.ts';
import { BudgetExhausted, type ExpansionBudget } from './expansion-budget.ts';
import { FIRST_ANSWER_SPAN_S, fastForward, floatingSeconds } from './fast-forward.ts';
import { DAY_MS, ms, planSeries, type Item, type SeriesPlan } from './series-plan.ts';

export { normalizedRule } from './series-plan.ts';

export interface SeriesOccurrence {
  /** The instant the recurrence set holds (what a RECURRENCE-ID names). */
  recurrenceId: ICAL.Time;
  start: ICAL.Time;
  end: ICAL.Time;
  /** The master, or the override that replaces this occurrence. */
  item: ICAL.Event;
}

export interface WalkOutcome {
  /** false: the budget ran out, so occurrences may be missing; `reason` says why. */
  complete: boolean;
  /** The visitor asked to stop. */
  stopped: boolean;
  reason?: string;
}

// Around a daylight-saving change the wall clock and the instant disagree by up to the change (two
// hours in the most extreme zone); a start this far back on the wall clock is safely before the range.
const ZONE_SLACK_MS = 3 * 3_600_000;
const WEEKLY_BACKSTEP_MS = 8 * DAY_MS;

// wallAt's answers, per zone: every series of a feed in one zone asks for the same few instants
// (its range's ends, moved by the same slack) on each question. Its callers only read them.
const WALL_TIMES_REMEMBERED = 64;
const wallTimes = new WeakMap<object, Map<number, ICAL.Time | null>>();
const FLOATING = {};

/** The wall-clock time in `like`'s zone at an instant (floating times are read in the process zone, as toJSDate does). */
function wallAt(instant: number, like: ICAL.Time): ICAL.Time | null {
  const zone = like.zone ?? FLOATING;
  let known = wallTimes.get(zone);
  if (!known) wallTimes.set(zone, (known = new Map()));
  const hit = known.get(instant);
  if (hit !== undefined) return hit;
  const t = computeWallAt(instant, like);
  if (known.size >= WALL_TIMES_REMEMBERED) known.clear();
  known.set(instant, t);
  return t;
}

function computeWallAt(instant: number, like: ICAL.Time): ICAL.Time | null {
  const date = new Date(instant);
  if (!Number.isFinite(date.getTime())) return null;
  const zone = like.zone;
  if (zone === ICAL.Timezone.utcTimezone) return ICAL.Time.fromJSDate(date, true);
  if (!zone || zone === ICAL.Timezone.localTimezone) return ICAL.Time.fromJSDate(date, false);
  return ICAL.Time.fromJSDate(date, true).convertToZone(zone);
}

/** One rule's instants in [lo, hi), from a start near lo when the rule's shape allows it. */
function* ruleInstants(rule: ICAL.Recur, dtstart: ICAL.Time, lo: number, hi: number, budget: ExpansionBudget): Generator<ICAL.Time> {
  let rule2 = rule;
  let start = dtstart;
  const zoneSlack = dtstart.zone === ICAL.Timezone.utcTimezone ? 0 : ZONE_SLACK_MS;
  if (Number.isFinite(lo)) {
    const target = wallAt(lo - zoneSlack - (FIRST_ANSWER_SPAN_S[rule.freq] ?? 0) * 1000, dtstart);
    const ff = target ? fastForward(rule, dtstart, target) : null;
    if (ff && 'done' in ff) return;
    if (ff) ({ rule: rule2, start } = ff);
  }
  // Past the range's end on the wall clock (and the zone's slack) no candidate can matter: a rule
  // with no match for years (or ever) costs only the range, not the search for its next match.
  // Weekly candidates can step back a few days at New Year (ical.js's week-of-year arithmetic).
  const end = Number.isFinite(hi) ? wallAt(hi + zoneSlack + (rule.freq === 'WEEKLY' ? WEEKLY_BACKSTEP_MS : 0), dtstart) : null;
  try {
    const it = budgetedIterator(rule2, start, budget, end ? floatingSeconds(end) : undefined);
    for (let t = it.next(); t; t = it.next()) {
      const at = ms(t);
      if (at >= hi) return;
      if (at >= lo) yield t.clone();
    }
  } catch (err) {
    if (!(err instanceof PastHorizon)) throw err;
  }
}

class Source {
  head: Item | null;
  constructor(private readonly pull: () => Item | null) {
    this.head = pull();
  }
  advance(): void {
    this.head = this.pull();
  }
}

function fromList(items: Item[]): Source {
  let i = 0;
  return new Source(() => items[i++] ?? null);
}

function fromGenerator(gen: Generator<ICAL.Time>): Source {
  return new Source(() => {
    const r = gen.next();
    return r.done ? null : { time: r.value };
  });
}

/**
 * Calls visit for every occurrence (recurrence set: DTSTART ∪ RRULE instants ∪ RDATE − EXDATE, as RFC
 * 5545 §3.8.5 defines it) whose dates can overlap [range.start, range.end); it may call it for some
 * that do not, so visit tests overlap itself. visit returns true to stop.
 */
export function walkOccurrences(
  master: ICAL.Component,
  overrides: ICAL.Component[],
  range: { start: number; end: number },
  budget: ExpansionBudget,
  visit: (o: SeriesOccurrence) => boolean | void,
): WalkOutcome {
  return walkPlan(planSeries(master, overrides), range, budget, visit);
}

/** walkOccurrences over a series planned once (the preview walks the same series for every range). */
export function walkPlan(plan: SeriesPlan, range: { start: number; end: number }, budget: ExpansionBudget, visit: (o: SeriesOccurrence) => boolean | void): WalkOutcome {
  const { event, dtstart, excluded, rules, explicit, pad } = plan;
  const details = (item: Item): SeriesOccurrence => {
    const d = plan.details(item.time);
    const end = item.end && d.item === event ? item.end : d.endDate;
    return { recurrenceId: item.time, start: d.startDate, end, item: d.item };
  };
  // Which recurrence instants can give an occurrence in the range: the master's length back, and
  // what RANGE=THISANDFUTURE overrides shift and stretch (planSeries), and the pad for all-day dates.
  const lo = range.start - plan.back - pad;
  const hi = range.end + plan.ahead + pad;

  try {
    const sources = [fromList(explicit), ...rules.map((r) => fromGenerator(ruleInstants(r, dtstart, lo, hi, budget)))];
    let last: ICAL.Time | null = null;
    for (;;) {
      let best: Source | null = null;
      // Ties go to the earlier source: DTSTART and RDATE (with a period's own end) before a rule.
      for (const s of sources) if (s.head && (!best || s.head.time.compare(best.head!.time) < 0)) best = s;
      if (!best) break;
      const item = best.head!;
      best.advance();
      if (last && item.time.compare(last) === 0) continue; // one instant from two sources
      last = item.time;
      if (best === sources[0]) budget.charge(1); // a mail with a million RDATEs is bounded too
      if (excluded(item.time)) continue;
      if (visit(details(item))) return { complete: true, stopped: true };
    }

    // An override far from its own RECURRENCE-ID can move an occurrence the walk never reached into
    // the range: look up just that instant in the rules.
    // What is read of an override is kept in the plan, read at the same point as ever (a value that
    // cannot be read throws here, each time).
    if (!plan.far.length) return { complete: true, stopped: false };
    const seen = new Set((plan.explicitUnix ??= explicit.map((i) => i.time.toUnixTime())));
    for (const f of plan.far) {
      const rid = (f.rid ??= f.x.recurrenceId);
      const at = (f.at ??= ms(rid));
      if ((at >= lo && at < hi) || seen.has((f.ridUnix ??= rid.toUnixTime())) || (f.excluded ??= excluded(rid))) continue;
      const s = (f.start ??= ms(f.x.startDate));
      if (!(s < range.end + pad && Math.max((f.end ??= ms(f.x.endDate)), s + 1) > range.start - pad)) continue;
      for (const rule of rules) {
        let found: ICAL.Time | null = null;
        for (const t of ruleInstants(rule, dtstart, at, at + 1000, budget)) if (t.compare(rid) === 0) found = t;
        if (!found) continue;
        seen.add(rid.toUnixTime());
        if (visit(details({ time: found }))) return { complete: true, stopped: true };
        break;
      }
    }
    return { complete: true, stopped: false };
  } catch (err) {
    if (err instanceof BudgetExhausted) return { complete: false, stopped: false, reason: err.reason };
    throw err;
  }
}

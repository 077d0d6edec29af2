// Event-side filters applied to the merged calendar: a date window (a series is kept if any
// occurrence falls inside; one whose occurrences cannot be worked out within budget is kept and
// reported) and --match/--exclude on text fields. Validated before any I/O.
import ICAL from 'ical.js';
import { AppError } from '../errors.ts';
import { MAX_RECURRENCE_MS_PER_SERIES, MAX_RECURRENCE_STEPS_PER_SERIES } from '../limits.ts';
import { ExpansionBudget, type BudgetSpec } from '../recurrence/expansion-budget.ts';
import { walkOccurrences } from '../recurrence/walk-occurrences.ts';
import { compileGlob, compileUserPattern, type UserPattern } from './user-pattern.ts';

export interface EventFilterSpec {
  /** "-30d..+365d", "2026-01-01..2026-12-31", open ends allowed ("..+90d"). */
  window?: string;
  /** "field=pattern": RE2 regular expression (linear time), or a glob with a "glob:" prefix. Case-insensitive. */
  match?: string[];
  exclude?: string[];
}

export const FILTER_FIELDS = ['summary', 'location', 'organizer', 'attendee', 'description', 'categories'] as const;
type Field = (typeof FILTER_FIELDS)[number];

interface FieldTest {
  field: Field;
  re: UserPattern;
  text: string;
}

export interface EventFilter {
  isEmpty: boolean;
  /** Everything that decides the outcome (window instants, patterns), for caching a merged feed. */
  signature: string;
  window?: { start: number; end: number };
  /** master: the series master or lone component; all: every component of the UID. */
  /** A UID whose dates cannot be evaluated is kept; `problem` hears why. */
  keep(master: ICAL.Component, all: ICAL.Component[], problem?: (reason: string) => void): boolean;
}

function usage(msg: string): AppError {
  return new AppError('USAGE', msg);
}

export function parseFieldTest(spec: string, flag: string): FieldTest {
  const i = spec.indexOf('=');
  const field = (i > 0 ? spec.slice(0, i) : '').trim().toLowerCase();
  if (!(FILTER_FIELDS as readonly string[]).includes(field)) {
    throw usage(`${flag} "${spec}": unknown field "${field || spec}" (use one of ${FILTER_FIELDS.join(', ')}, as FIELD=PATTERN)`);
  }
  const pattern = spec.slice(i + 1);
  if (!pattern) throw usage(`${flag} "${spec}": the pattern after "=" is empty`);
  let re: UserPattern;
  // User patterns never reach JavaScript's backtracking RegExp (see user-pattern.ts).
  try {
    re = pattern.startsWith('glob:') ? compileGlob(pattern.slice(5)) : compileUserPattern(pattern);
  } catch (err) {
    throw usage(`${flag} "${spec}": invalid regular expression (RE2 syntax): ${(err as Error).message}`);
  }
  return { field: field as Field, re, text: spec };
}

const DAY = 86_400_000;

function parseBound(text: string, now: Date, side: string, spec: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const rel = /^([+-]?)(\d+)([dwmy])$/i.exec(t);
  if (rel) {
    const n = Number(rel[2]) * (rel[1] === '-' ? -1 : 1);
    const unit = rel[3].toLowerCase();
    // Counted from the start of today (UTC), so the window moves once a day: a window that moved
    // with every sync would make each sync's filter new, and no merged feed could be reused.
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    if (unit === 'd') return d.getTime() + n * DAY;
    if (unit === 'w') return d.getTime() + n * 7 * DAY;
    if (unit === 'm') d.setUTCMonth(d.getUTCMonth() + n);
    else d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.getTime();
  }
  const abs = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (abs) {
    const d = new Date(Date.UTC(Number(abs[1]), Number(abs[2]) - 1, Number(abs[3])));
    if (d.getUTCMonth() === Number(abs[2]) - 1 && d.getUTCDate() === Number(abs[3])) return d.getTime();
  }
  throw usage(`--window "${spec}": the ${side} "${t}" is neither a date (YYYY-MM-DD) nor an offset like -30d, +2w, +6m, +1y`);
}

export function parseWindow(spec: string, now: Date): { start: number; end: number } {
  const parts = spec.split('..');
  if (parts.length !== 2) throw usage(`--window "${spec}" must be FROM..TO, e.g. -30d..+365d or 2026-01-01..2026-12-31`);
  const start = parseBound(parts[0], now, 'start', spec) ?? -Infinity;
  let end = parseBound(parts[1], now, 'end', spec) ?? Infinity;
  // An absolute end date includes that whole day.
  if (/^\d{4}-\d{2}-\d{2}$/.test(parts[1].trim())) end += DAY;
  if (!(start < end)) throw usage(`--window "${spec}": the start is not before the end`);
  return { start, end };
}

function fieldValues(comp: ICAL.Component, field: Field): string[] {
  return comp.getAllProperties(field).flatMap((p) => {
    const cn = p.getParameter('cn');
    const vals = p.getValues().map((v) => String(v));
    return typeof cn === 'string' ? [...vals, cn] : vals;
  });
}

function matches(comp: ICAL.Component, t: FieldTest): boolean {
  return fieldValues(comp, t.field).some((v) => t.re.test(v));
}

/** Whether any occurrence overlaps the window, or why that could not be worked out. */
function overlaps(master: ICAL.Component, all: ICAL.Component[], w: { start: number; end: number }, budget: BudgetSpec): true | false | { unknown: string } {
  if (!master.hasProperty('dtstart')) return true; // a task without dates is not date-bound
  // No exceptions: only its own dates are read here (walkOccurrences relates the overrides), and
  // ical.js would otherwise scan the whole calendar for them, for every event.
  const event = new ICAL.Event(master, { exceptions: [] });
  const toMs = (t: ICAL.Time) => t.toJSDate().getTime();
  const hit = (s: number, e: number) => s < w.end && Math.max(e, s + 1) > w.start;
  if (!event.isRecurring()) return hit(toMs(event.startDate), event.endDate ? toMs(event.endDate) : toMs(event.startDate));
  const overrides = all.filter((o) => o !== master && o.hasProperty('recurrence-id'));
  let found = false;
  // The walk starts near the window, not at DTSTART: a daily series since 2005 reaches 2026 in a few steps.
  const outcome = walkOccurrences(master, overrides, w, new ExpansionBudget(budget), (o) => (found = hit(toMs(o.start), toMs(o.end))));
  if (found) return true;
  return outcome.complete ? false : { unknown: outcome.reason ?? 'its occurrences could not all be worked out' };
}

/** A window test that cannot be evaluated keeps the event: a filter never loses one to a quirk of its data. */
function safely(test: () => true | false | { unknown: string }, problem?: (reason: string) => void): boolean {
  try {
    const r = test();
    if (typeof r === 'boolean') return r;
    problem?.(`its occurrences could not all be worked out for the --window filter (${r.unknown}); kept`);
    return true;
  } catch (err) {
    problem?.(`its dates could not be read for the --window filter (${(err as Error).message}); kept`);
    return true;
  }
}

export interface EventFilterOptions {
  /** Per series and question; tests inject a clock so no outcome depends on the machine's speed. */
  expansionBudget?: BudgetSpec;
}

export function buildEventFilter(spec: EventFilterSpec, now: Date = new Date(), opts: EventFilterOptions = {}): EventFilter {
  const budget = opts.expansionBudget ?? { maxSteps: MAX_RECURRENCE_STEPS_PER_SERIES, maxMs: MAX_RECURRENCE_MS_PER_SERIES };
  const window = spec.window ? parseWindow(spec.window, now) : undefined;
  const match = (spec.match ?? []).map((m) => parseFieldTest(m, '--match'));
  const exclude = (spec.exclude ?? []).map((m) => parseFieldTest(m, '--exclude'));
  const isEmpty = !window && !match.length && !exclude.length;
  return {
    isEmpty,
    window,
    signature: JSON.stringify([window ?? null, spec.match ?? [], spec.exclude ?? []]),
    keep(master, all, problem) {
      if (match.some((t) => !all.some((c) => matches(c, t)))) return false;
      if (exclude.some((t) => matches(master, t))) return false;
      if (window) {
        if (master.hasProperty('recurrence-id')) return all.some((c) => safely(() => overlaps(c, [c], window, budget), problem));
        return safely(() => overlaps(master, all, window, budget), problem);
      }
      return true;
    },
  };
}

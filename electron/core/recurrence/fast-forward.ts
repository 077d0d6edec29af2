// Where one recurrence rule's iterator may start instead of DTSTART, so that from there on it yields
// exactly what a walk from DTSTART yields. Only for rule shapes whose ical.js iterator state depends
// on the position alone; every other shape answers null (walk from DTSTART, within the budget).
import ICAL from 'ical.js';

/** Floating (wall-clock) seconds per period unit of the frequencies that have a fixed length. */
const UNIT: Record<string, number> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 };

// BY parts whose handling by ical.js keeps no state that depends on where the walk began, per
// frequency. Left out on purpose (those rules walk from DTSTART):
// - the part of the frequency's own unit (HOURLY;BYHOUR…): ical.js cycles through its list with an
//   index that starts at 0 wherever the walk starts;
// - BYMONTH except for DAILY;INTERVAL=1: months outside BYMONTH are jumped over from day 1, which
//   shifts the INTERVAL phase by how the walk got there;
// - BYSETPOS, BYWEEKNO, BYYEARDAY, BYDAY with an ordinal, negative BYMONTHDAY (normalised only from
//   the second month on).
const STATELESS: Record<string, readonly string[]> = {
  SECONDLY: ['BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY'],
  MINUTELY: ['BYSECOND', 'BYHOUR', 'BYDAY', 'BYMONTHDAY'],
  HOURLY: ['BYSECOND', 'BYMINUTE', 'BYDAY', 'BYMONTHDAY'],
  DAILY: ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYMONTH'],
  WEEKLY: ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY'],
};
const RANGE: Record<string, [number, number]> = { BYSECOND: [0, 59], BYMINUTE: [0, 59], BYHOUR: [0, 23], BYMONTHDAY: [1, 31], BYMONTH: [1, 12] };
const WEEKDAYS = new Set(['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']);

/** How far before the range ical.js may still yield a first instant that is not a real occurrence
 * (its first answer is the start itself, or where its initialisation put it, unchecked): within the
 * start's own unit (second, minute, hour, day) or, for weekly rules, its week. */
export const FIRST_ANSWER_SPAN_S: Record<string, number> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 };

// A walk from DTSTART moves BYMONTH's index out of step with the month until its first new year;
// a start two years on is past that.
const BYMONTH_SETTLED_S = 2 * 366 * 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date (exact for any year; Date.UTC maps 0–99 to 19xx). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

/** Wall-clock fields as seconds on a clock without time zones. */
export function floatingSeconds(t: ICAL.Time): number {
  return daysFromCivil(t.year, t.month, t.day) * 86_400 + (t.isDate ? 0 : t.hour * 3600 + t.minute * 60 + t.second);
}

function timeAt(seconds: number, like: ICAL.Time): ICAL.Time {
  const days = Math.floor(seconds / 86_400);
  const rest = seconds - days * 86_400;
  const { year, month, day } = civilFromDays(days);
  const fields = like.isDate
    ? { year, month, day, isDate: true }
    : { year, month, day, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60, isDate: false };
  return new ICAL.Time(fields, like.zone);
}

function sortedIn(values: unknown[], [lo, hi]: [number, number]): boolean {
  return values.every((v, i) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi && (i === 0 || (v as number) > (values[i - 1] as number)));
}

/** Why a rule must walk from DTSTART, or null when it may start anywhere on its period grid. */
function shapeProblem(rule: ICAL.Recur, dtstart: ICAL.Time): string | null {
  const freq = rule.freq;
  if (!(freq in UNIT)) return 'frequency';
  if (!Number.isInteger(rule.interval) || rule.interval < 1) return 'interval';
  if (dtstart.isDate && freq !== 'DAILY' && freq !== 'WEEKLY') return 'date with a sub-daily frequency';
  const parts = rule.parts as Record<string, unknown[]>;
  const names = Object.keys(parts);
  // With COUNT the occurrences before the start must be counted: only one per period (no BY parts) is arithmetic.
  if (rule.count !== null && rule.count !== undefined && names.length) return 'COUNT with BY parts';
  for (const name of names) {
    const values = parts[name];
    if (!STATELESS[freq].includes(name) || !Array.isArray(values) || !values.length) return name;
    if (name === 'BYDAY') {
      if (new Set(values).size !== values.length || !values.every((v) => typeof v === 'string' && WEEKDAYS.has(v))) return name;
    } else if (!sortedIn(values, RANGE[name])) return name;
  }
  if ('BYMONTH' in parts && rule.interval !== 1) return 'BYMONTH with INTERVAL';
  return null;
}

export interface StartPoint {
  /** Where to start the iterator (same zone and time of day as DTSTART, on the rule's period grid). */
  start: ICAL.Time;
  /** The rule to iterate from there: COUNT reduced by the occurrences before start, else the rule itself. */
  rule: ICAL.Recur;
}

/**
 * The latest start not after `target` (wall clock in DTSTART's zone) from which the rule yields what
 * a walk from DTSTART yields from that instant on — except that its first answer may be a
 * non-occurrence within FIRST_ANSWER_SPAN_S of the start, so callers start before their range.
 * null: walk from DTSTART. { done }: a COUNT rule whose occurrences all come before the target.
 */
export function fastForward(rule: ICAL.Recur, dtstart: ICAL.Time, target: ICAL.Time): StartPoint | { done: true } | null {
  if (shapeProblem(rule, dtstart)) return null;
  const period = UNIT[rule.freq] * rule.interval;
  const from = floatingSeconds(dtstart);
  let periods = Math.floor((floatingSeconds(target) - from) / period);
  if (!(periods > 0) || !Number.isSafeInteger(periods * period)) return null;
  let start = from + periods * period;
  const months = (rule.parts as Record<string, number[]>).BYMONTH;
  if (months) {
    // DAILY;INTERVAL=1 only: start on the 1st of the first BYMONTH month, where a fresh iterator's
    // month index (0) is the one a walk has there.
    const at = civilFromDays(Math.floor(start / 86_400));
    const year = at.month >= months[0] ? at.year : at.year - 1;
    start = daysFromCivil(year, months[0], 1) * 86_400 + (from - Math.floor(from / 86_400) * 86_400);
    if (start - from < BYMONTH_SETTLED_S) return null;
    periods = (start - from) / period;
  }
  if (rule.count !== null && rule.count !== undefined) {
    if (periods >= rule.count) return { done: true };
    const counted = rule.clone();
    counted.count = rule.count - periods;
    return { start: timeAt(start, dtstart), rule: counted };
  }
  return { start: timeAt(start, dtstart), rule };
}

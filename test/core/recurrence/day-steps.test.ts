// The budgeted iterator's day steps (stepDays) move a candidate as ical.js's own increment_monthday
// does: the same instants for daily rules across month ends, leap days and year ends, for dates and
// date-times, UTC and floating, any INTERVAL, and candidates set past their range.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { budgetedIterator, stepDays } from '../../../electron/core/recurrence/budgeted-iterator.ts';
import { ExpansionBudget } from '../../../electron/core/recurrence/expansion-budget.ts';

const budget = () => new ExpansionBudget({ maxSteps: 1e7, maxMs: Infinity, clock: () => 0 });

function walk(it: ICAL.RecurIterator, max = 2_000): string[] {
  const out: string[] = [];
  for (let t = it.next(); t && out.length < max; t = it.next()) out.push(`${t.toString()}|${t.toUnixTime()}`);
  return out;
}

describe('day steps', () => {
  const rules = [
    'FREQ=DAILY;COUNT=800',
    'FREQ=DAILY;INTERVAL=3;COUNT=500',
    'FREQ=DAILY;INTERVAL=40;COUNT=60',
    'FREQ=DAILY;INTERVAL=366;COUNT=12',
    'FREQ=DAILY;BYMONTH=2,12;COUNT=300',
    'FREQ=DAILY;BYMONTHDAY=29,30,31;COUNT=200',
    'FREQ=DAILY;BYDAY=MO,FR;UNTIL=20290301T000000Z',
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=400',
    'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=60',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=5',
  ];
  const starts = ['2027-12-31T23:30:00Z', '2028-02-28T09:00:00', '2027-01-31T10:00:00Z', '2028-02-29', '2027-12-31'];
  for (const rule of rules) {
    it(`${rule}: the same instants as ical.js from every start`, () => {
      for (const s of starts) {
        const dtstart = s.length === 10 ? ICAL.Time.fromDateString(s) : ICAL.Time.fromDateTimeString(s);
        const recur = ICAL.Recur.fromString(rule);
        const expected = walk(recur.iterator(dtstart.clone()));
        expect(expected.length, `${rule} from ${s}`).toBeGreaterThan(3);
        expect(walk(budgetedIterator(recur, dtstart.clone(), budget())), `${rule} from ${s}`).toEqual(expected);
      }
    });
  }

  it('a candidate set past its range is normalised first, as ical.js reads it, and is left normal', () => {
    const viaIcal = ICAL.Time.fromDateTimeString('2028-01-30T10:00:00');
    const viaSteps = viaIcal.clone();
    for (const t of [viaIcal, viaSteps]) t.day = 33; // Feb 2 once normalised
    const it = ICAL.Recur.fromString('FREQ=DAILY').iterator(ICAL.Time.fromDateTimeString('2028-01-01T10:00:00'));
    it.last = viaIcal;
    it.increment_monthday(30);
    stepDays(viaSteps, 30, () => {
      throw new Error('fell back');
    });
    expect(viaSteps.toString()).toBe(viaIcal.toString());
    expect(viaSteps.toString()).toBe('2028-03-03T10:00:00');
    expect(viaSteps.toUnixTime()).toBe(viaIcal.toUnixTime());
    expect((viaSteps as unknown as { _pendingNormalization: boolean })._pendingNormalization).toBe(false);
  });
});

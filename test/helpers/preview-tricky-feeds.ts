// Feeds and questions on which the preview's fast answers (reused index, per-series memo, remembered
// zone offsets) are compared with answers recorded from the straightforward expansion: TZID series
// across DST, all-day series, EXDATE, RDATE, overrides moved in and out, COUNT/UNTIL, cut answers.
// Test-only; builds text only.
import path from 'node:path';
import { tenThousandProfile, weeklySeries } from '../bench/preview-profile.ts';
import { MAX_PREVIEW_RECURRENCE_STEPS } from '../../electron/core/limits.ts';
import type { ExpandOptions } from '../../electron/core/preview/preview-events.ts';

export const FAST_GOLDEN_FILE = path.resolve(import.meta.dirname, '../fixtures/preview-fast-golden.json');

export const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';
const NEW_YORK = 'BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';

let n = 0;
function ev(uid: string, lines: string[]): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:20260101T00${String(n++ % 60).padStart(2, '0')}00Z`, ...lines, 'END:VEVENT'].join('\r\n');
}
const cal = (...parts: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//preview-fast//EN', ...parts, 'END:VCALENDAR'].join('\r\n') + '\r\n';

const tzidDst = cal(
  BERLIN,
  NEW_YORK,
  // 02:30 on Sundays and Mondays: the spring-forward Sunday has no 02:30, the fall-back one has two.
  ev('dst-weekly', ['DTSTART;TZID=Europe/Berlin:20251019T023000', 'DTEND;TZID=Europe/Berlin:20251019T033000', 'RRULE:FREQ=WEEKLY;BYDAY=SU,MO', 'EXDATE;TZID=Europe/Berlin:20260302T023000,20260309T023000', 'SUMMARY:Early']),
  ev('dst-weekly', ['RECURRENCE-ID;TZID=Europe/Berlin:20260315T023000', 'DTSTART;TZID=America/New_York:20260315T090000', 'DTEND;TZID=America/New_York:20260315T100000', 'SUMMARY:Early (New York)']),
  ev('dst-weekly', ['RECURRENCE-ID;TZID=Europe/Berlin:20260323T023000', 'DTSTART;TZID=Europe/Berlin:20260323T023000', 'DTEND;TZID=Europe/Berlin:20260323T033000', 'STATUS:CANCELLED', 'SUMMARY:Early (cancelled)']),
  ev('ny-daily', ['DTSTART;TZID=America/New_York:20260301T013000', 'DURATION:PT1H30M', 'RRULE:FREQ=DAILY;UNTIL=20261110T060000Z', 'SUMMARY:Night shift']),
  ev('ny-hours', ['DTSTART;TZID=America/New_York:20260306T000000', 'DTEND;TZID=America/New_York:20260306T001500', 'RRULE:FREQ=HOURLY;INTERVAL=5;BYHOUR=0,1,2,3,10,15,20', 'SUMMARY:Pings']),
  ev('berlin-single', ['DTSTART;TZID=Europe/Berlin:20261025T023000', 'DTEND;TZID=Europe/Berlin:20261025T033000', 'SUMMARY:Ambiguous hour']),
  ev('berlin-cancelled', ['DTSTART;TZID=Europe/Berlin:20260329T100000', 'DTEND;TZID=Europe/Berlin:20260329T110000', 'STATUS:CANCELLED', 'SUMMARY:Called off']),
);

const allDay = cal(
  ev('days-count', ['DTSTART;VALUE=DATE:20260220', 'DTEND;VALUE=DATE:20260221', 'RRULE:FREQ=DAILY;COUNT=40', 'EXDATE;VALUE=DATE:20260301,20260305', 'SUMMARY:Fasting']),
  ev('days-count', ['RECURRENCE-ID;VALUE=DATE:20260310', 'DTSTART;VALUE=DATE:20260415', 'DTEND;VALUE=DATE:20260417', 'SUMMARY:Fasting (moved)']),
  ev('weekly-allday', ['DTSTART;VALUE=DATE:20240105', 'DTEND;VALUE=DATE:20240108', 'RRULE:FREQ=WEEKLY;INTERVAL=2', 'EXDATE;VALUE=DATE:20260313', 'SUMMARY:Long weekend']),
  ev('holiday', ['DTSTART;VALUE=DATE:20260501', 'SUMMARY:Holiday']),
  ev('yearly-birthday', ['DTSTART;VALUE=DATE:19800229', 'RRULE:FREQ=YEARLY', 'SUMMARY:Leap birthday']),
  ev('monthly-last', ['DTSTART;VALUE=DATE:20250131', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=-1', 'SUMMARY:Month end']),
);

const overrides = cal(
  BERLIN,
  // Weekly since 2020; an override of 2021 moved into March 2026, one of March 2026 moved to 2030.
  ev('far', ['DTSTART;TZID=Europe/Berlin:20200106T080000', 'DTEND;TZID=Europe/Berlin:20200106T090000', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Far']),
  ev('far', ['RECURRENCE-ID;TZID=Europe/Berlin:20210104T080000', 'DTSTART;TZID=Europe/Berlin:20260304T120000', 'DTEND;TZID=Europe/Berlin:20260304T130000', 'SUMMARY:Far (from 2021)']),
  ev('far', ['RECURRENCE-ID;TZID=Europe/Berlin:20260309T080000', 'DTSTART;TZID=Europe/Berlin:20300309T080000', 'DTEND;TZID=Europe/Berlin:20300309T090000', 'SUMMARY:Far (to 2030)']),
  ev('far', ['RECURRENCE-ID:20260316T070000Z', 'DTSTART:20260316T150000Z', 'DTEND:20260316T160000Z', 'SUMMARY:Far (UTC id)']),
  // RANGE=THISANDFUTURE: from 2026-04-06 on, two hours later and longer.
  ev('future', ['DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=30', 'SUMMARY:Future']),
  ev('future', ['RECURRENCE-ID;RANGE=THISANDFUTURE:20260406T090000Z', 'DTSTART:20260406T110000Z', 'DTEND:20260406T130000Z', 'SUMMARY:Future (later)']),
  // Overrides whose series is not in the feed, and one of another UID on the same instant.
  ev('orphan', ['RECURRENCE-ID:20260303T100000Z', 'DTSTART:20260303T100000Z', 'DTEND:20260303T110000Z', 'SUMMARY:Orphan']),
  ev('orphan', ['RECURRENCE-ID:20260310T100000Z', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z', 'STATUS:CANCELLED', 'SUMMARY:Orphan (cancelled)']),
  ev('twin', ['DTSTART:20260302T100000Z', 'DTEND:20260302T110000Z', 'RRULE:FREQ=DAILY;COUNT=20', 'SUMMARY:Twin']),
  ev('twin', ['RECURRENCE-ID:20260305T100000Z', 'DTSTART:20260305T100000Z', 'DTEND:20260305T110000Z', 'STATUS:CANCELLED', 'SUMMARY:Twin (cancelled)']),
);

const rdates = cal(
  BERLIN,
  ev('rdate-only', ['DTSTART;TZID=Europe/Berlin:20260302T090000', 'DTEND;TZID=Europe/Berlin:20260302T100000', 'RDATE;TZID=Europe/Berlin:20260304T090000,20260330T090000', 'RDATE;VALUE=PERIOD:20260306T080000Z/20260306T120000Z', 'SUMMARY:Workshop']),
  ev('rdate-rule', ['DTSTART:20260201T120000Z', 'DURATION:PT45M', 'RRULE:FREQ=WEEKLY;UNTIL=20260601T000000Z', 'RDATE:20260303T070000Z,20260201T120000Z', 'EXDATE:20260308T120000Z', 'SUMMARY:Mixed']),
  ev('rdate-date', ['DTSTART;VALUE=DATE:20260301', 'RDATE;VALUE=DATE:20260303,20260311,20270101', 'EXDATE;VALUE=DATE:20260303', 'SUMMARY:Dates']),
  ev('floating', ['DTSTART:20260302T083000', 'DTEND:20260302T093000', 'RRULE:FREQ=DAILY;BYDAY=MO,WE,FR;UNTIL=20261231T000000', 'SUMMARY:Floating']),
  ev('two-rules', ['DTSTART:20260301T060000Z', 'DTEND:20260301T061000Z', 'RRULE:FREQ=WEEKLY;BYDAY=TU', 'RRULE:FREQ=MONTHLY;BYDAY=1TU,3TH', 'SUMMARY:Two rules']),
);

const counts = cal(
  BERLIN,
  ev('count-daily', ['DTSTART:20250601T070000Z', 'DTEND:20250601T073000Z', 'RRULE:FREQ=DAILY;COUNT=300', 'SUMMARY:Count']),
  ev('count-byday', ['DTSTART;TZID=Europe/Berlin:20250106T180000', 'DTEND;TZID=Europe/Berlin:20250106T190000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=90', 'SUMMARY:Count by day']),
  ev('until-weekly', ['DTSTART;TZID=Europe/Berlin:20240101T090000', 'DTEND;TZID=Europe/Berlin:20240101T100000', 'RRULE:FREQ=WEEKLY;UNTIL=20260305T080000Z', 'SUMMARY:Until']),
  ev('monthly-2tu', ['DTSTART;TZID=Europe/Berlin:20190108T170000', 'DTEND;TZID=Europe/Berlin:20190108T180000', 'RRULE:FREQ=MONTHLY;BYDAY=2TU', 'SUMMARY:Second Tuesday']),
  ev('yearly-count', ['DTSTART:20100310T120000Z', 'DTEND:20100310T130000Z', 'RRULE:FREQ=YEARLY;COUNT=20', 'SUMMARY:Anniversary']),
  ev('never', ['DTSTART:20240101T000000Z', 'DTEND:20240101T010000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'SUMMARY:Never']),
);

const heavy = cal(
  BERLIN,
  // More than 1,000 in a year or a month (the per-series cap).
  ev('hourly', ['DTSTART:20250101T000000Z', 'DTEND:20250101T001000Z', 'RRULE:FREQ=HOURLY', 'SUMMARY:Hourly']),
  ev('minutely', ['DTSTART;TZID=Europe/Berlin:20250101T000000', 'DTEND;TZID=Europe/Berlin:20250101T000100', 'RRULE:FREQ=MINUTELY;INTERVAL=7', 'SUMMARY:Minutely']),
  ev('daily', ['DTSTART:20260101T120000Z', 'DTEND:20260101T130000Z', 'RRULE:FREQ=DAILY', 'SUMMARY:Daily']),
);

export const TRICKY_FEEDS: Array<[string, string]> = [
  ['tzid-dst', tzidDst],
  ['all-day', allDay],
  ['overrides', overrides],
  ['rdates', rdates],
  ['counts', counts],
  ['heavy', heavy],
  ['weekly-100', weeklySeries(100)],
  ['ten-thousand', tenThousandProfile()],
];

/** Ranges asked (in this order when recorded, each with a fresh index; shuffled when tested). */
export const FAST_RANGES: Array<[string, string]> = [
  ['2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'],
  ['2026-03-09T00:00:00Z', '2026-03-16T00:00:00Z'],
  ['2026-03-23T00:00:00Z', '2026-03-30T00:00:00Z'],
  ['2026-10-19T00:00:00Z', '2026-10-26T00:00:00Z'],
  ['2026-10-26T00:00:00Z', '2026-11-09T00:00:00Z'],
  ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'],
  ['2026-03-04T06:00:00Z', '2026-03-04T14:00:00Z'],
  ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['2025-12-15T00:00:00Z', '2026-02-15T00:00:00Z'],
  ['2021-01-01T00:00:00Z', '2021-02-01T00:00:00Z'],
  ['2030-03-01T00:00:00Z', '2030-04-01T00:00:00Z'],
  ['1997-01-01T00:00:00Z', '1997-02-01T00:00:00Z'],
];

/** Ranges for the 10,000-event profile (each answer costs up to a second there). */
export const BIG_RANGES: Array<[string, string]> = [
  ['2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'],
  ['2026-03-09T00:00:00Z', '2026-03-16T00:00:00Z'],
  ['2026-03-23T00:00:00Z', '2026-03-30T00:00:00Z'],
  ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'],
];

// Processor time is not the same twice (the old expansion of the big profile's year ran out of the 2 s
// answer budget in a loaded run): every recorded answer freezes the clocks and keeps the step budgets.
const frozen = () => 0;
const steps = { maxSteps: MAX_PREVIEW_RECURRENCE_STEPS, maxMs: Infinity, clock: frozen };

/** Options that cut answers: the caps, a series' step budget, the answer's step budget (clocks frozen). */
export const FAST_OPTIONS: Array<[string, ExpandOptions]> = [
  ['default steps', { totalBudget: steps }],
  ['limit 40', { limit: 40, totalBudget: steps }],
  ['per series 3', { perSeries: 3, totalBudget: steps }],
  ['series steps 120', { seriesBudget: { maxSteps: 120, maxMs: Infinity }, totalBudget: steps }],
  ['total steps 300', { totalBudget: { maxSteps: 300, maxMs: Infinity, clock: frozen } }],
];

export function rangesOf(name: string): Array<[string, string]> {
  return name === 'ten-thousand' ? BIG_RANGES : FAST_RANGES;
}

export function optionsOf(name: string): Array<[string, ExpandOptions]> {
  // The big profile: its default answers, and one cut by the total budget.
  return name === 'ten-thousand' ? FAST_OPTIONS.filter(([o]) => o === 'default steps' || o === 'total steps 300' || o === 'limit 40') : FAST_OPTIONS;
}

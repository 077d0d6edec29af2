// Cutting a series at an instance (RANGE=THISANDFUTURE): UNTIL in the form RFC 5545 wants, COUNT
// converted only when it would run past the cut, later RDATEs/EXDATEs dropped, hostile rules bounded.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { cutSeries, MAX_RULE_STEPS } from '../../../electron/core/ical/series-edit.ts';
import { keyValue, shapeOf } from '../../../electron/core/ical/instance-forms.ts';
import type { ZoneLookup } from '../../../electron/core/ical/revision.ts';

const noZones: ZoneLookup = () => undefined;
const series = (...lines: string[]) => ICAL.Component.fromString(['BEGIN:VEVENT', 'UID:s', ...lines, 'END:VEVENT'].join('\r\n'));
const at = (key: string) => keyValue(key);
const rule = (c: ICAL.Component) => c.getAllProperties('rrule').map((p) => p.getFirstValue()!.toString());

describe('cutting a series', () => {
  it('turns COUNT into UNTIL just before the instance (UTC), inclusive when asked', () => {
    const c = series('DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=5');
    expect(cutSeries(c, shapeOf(c, noZones)!, at('T:001768816800'), false, noZones)).toBe(true); // 2026-01-19T10:00Z
    expect(rule(c)).toEqual(['FREQ=WEEKLY;UNTIL=20260119T095959Z']);
    const d = series('DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=5');
    cutSeries(d, shapeOf(d, noZones)!, at('T:001768816800'), true, noZones);
    expect(rule(d)).toEqual(['FREQ=WEEKLY;UNTIL=20260119T100000Z']);
  });

  it('leaves a COUNT or UNTIL that ends before the cut, and drops RDATEs and EXDATEs after it', () => {
    const c = series('DTSTART:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'RRULE:FREQ=WEEKLY;UNTIL=20260110T000000Z', 'RDATE:20260106T120000Z,20260301T100000Z', 'EXDATE:20260302T100000Z');
    cutSeries(c, shapeOf(c, noZones)!, at('T:001771927200'), false, noZones); // 2026-02-24T10:00Z
    expect(rule(c)).toEqual(['FREQ=DAILY;COUNT=2', 'FREQ=WEEKLY;UNTIL=20260110T000000Z']);
    expect(c.getAllProperties('rdate').flatMap((p) => p.getValues().map(String))).toEqual(['2026-01-06T12:00:00Z']);
    expect(c.hasProperty('exdate')).toBe(false);
  });

  it('writes a DATE UNTIL for an all-day series and a floating one for a floating series', () => {
    const day = series('DTSTART;VALUE=DATE:20260105', 'RRULE:FREQ=WEEKLY');
    cutSeries(day, shapeOf(day, noZones)!, at('D:20260119'), false, noZones);
    expect(rule(day)).toEqual(['FREQ=WEEKLY;UNTIL=20260118']);
    const floating = series('DTSTART:20260105T100000', 'RRULE:FREQ=DAILY');
    cutSeries(floating, shapeOf(floating, noZones)!, at('F:20260107T100000'), false, noZones);
    expect(rule(floating)).toEqual(['FREQ=DAILY;UNTIL=20260107T095959']);
  });

  it('reports a cut at or before DTSTART as leaving nothing, and changes nothing then', () => {
    const c = series('DTSTART:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=3');
    expect(cutSeries(c, shapeOf(c, noZones)!, at('T:001767607200'), false, noZones)).toBe(false); // 2026-01-05T10:00Z
    expect(rule(c)).toEqual(['FREQ=DAILY;COUNT=3']);
  });

  it('bounds the walk of a hostile rule: past MAX_RULE_STEPS instances the cut is an UNTIL', () => {
    const c = series('DTSTART:20260105T100000Z', `RRULE:FREQ=SECONDLY;COUNT=${MAX_RULE_STEPS * 100}`);
    cutSeries(c, shapeOf(c, noZones)!, at('T:001767700000'), false, noZones);
    expect(rule(c)).toEqual(['FREQ=SECONDLY;UNTIL=20260106T114639Z']);
  });
});

// The scheduling rules walk recurrence rules; a rule ical.js parses but cannot walk (hostile or
// broken) must never abort the merge or lose the event: it is merged revision by revision, reported.
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import { MAX_RULE_STEPS_PER_UID } from '../../../electron/core/ical/series-edit.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

let uid = 0;
const part = (method: string, ...components: string[]): CalendarPart => ({
  source: { folder: 'INBOX', uid: ++uid, from: 'org@example.com', date: new Date(Date.UTC(2026, 0, 1, uid)).toISOString() },
  section: '2', mimeMethod: method, text: vcal(method, ...components),
});
const org = ['ORGANIZER:mailto:org@example.com'];

describe('a recurrence rule ical.js cannot walk', () => {
  it('keeps the event, applies what needs no walk, and reports what it could not apply', () => {
    const parts = [
      part('REQUEST', vevent({ uid: 'bad', sequence: 0, start: '20260105T100000Z', end: '20260105T110000Z', rrule: 'FREQ=MONTHLY;COUNT=5;BYDAY=9MO', summary: 'Broken rule', extra: org })),
      part('CANCEL', vevent({ uid: 'bad', sequence: 1, dtstamp: '20260102T000000Z', recurrenceId: 'RANGE=THISANDFUTURE:20260302T100000Z', status: 'CANCELLED', start: '20260302T100000Z', end: '20260302T110000Z', extra: org })),
      part('ADD', vevent({ uid: 'bad', sequence: 2, dtstamp: '20260103T000000Z', start: '20260110T100000Z', end: '20260110T110000Z', summary: 'Broken rule', extra: org })),
      part('CANCEL', vevent({ uid: 'bad', sequence: 3, dtstamp: '20260104T000000Z', recurrenceId: '20260202T100000Z', status: 'CANCELLED', start: '20260202T100000Z', end: '20260202T110000Z', extra: org })),
      part('REQUEST', vevent({ uid: 'fine', summary: 'Unrelated', extra: org })),
    ];
    for (const cancelled of ['remove', 'keep'] as const) {
      const b = buildCalendar(parts, ['INBOX'], { include: new Set(['VEVENT']), cancelled });
      expect(b.ics).toContain('SUMMARY:Broken rule');
      expect(b.ics).toContain('SUMMARY:Unrelated');
      expect(b.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^VEVENT bad: its recurrence could not be worked out \(Malformed values in BYDAY part\)/));
      expect(b.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^VEVENT bad: this METHOD:ADD was not applied: the series' recurrence could not be worked out/)]);
      // The single cancelled instance still goes, as the EXDATE it was sent as.
      if (cancelled === 'remove') expect(b.ics).toContain('EXDATE:20260202T100000Z');
      else expect(b.ics).toMatch(/RECURRENCE-ID:20260202T100000Z[\s\S]*STATUS:CANCELLED/);
    }
  });

  it('walks one UID\'s rule at most MAX_RULE_STEPS_PER_UID steps in all: later ADD checks then just add their RDATE', () => {
    // A rule with an instance every second: each ADD below costs ~9,000 steps to find its instance.
    const seconds = (n: number) => new Date(Date.UTC(2026, 0, 5, 10) + n * 1000).toISOString().replace(/[-:]|\.\d+/g, '');
    const adds = [9001, 9002, 9003, 9004, 9005].map((n, i) => vevent({ uid: 'busy', sequence: 1 + i, dtstamp: `2026010${2 + i}T000000Z`, start: seconds(n), end: seconds(n + 1), summary: 'Busy', extra: org }));
    const parts = [
      part('REQUEST', vevent({ uid: 'busy', sequence: 0, start: seconds(0), end: seconds(1), rrule: 'FREQ=SECONDLY;COUNT=1000000000', summary: 'Busy', extra: org })),
      ...adds.map((a) => part('ADD', a)),
    ];
    const b = buildCalendar(parts, ['INBOX'], { include: new Set(['VEVENT']), cancelled: 'remove' });
    expect(MAX_RULE_STEPS_PER_UID).toBeLessThan(5 * 9000);
    // Four checks found their instance in the rule; the fifth ran out of steps and wrote its RDATE.
    expect(b.ics.match(/^RDATE.*$/gm)).toEqual([`RDATE:${seconds(9005)}`]);
  });
});

// The preview row's detail fields on a real merged invitation: the rule as text, attendees with
// their replies, alarms, categories and the start's time zone; hostile attendee lists bounded.
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { MAX_PREVIEW_ATTENDEES } from '../../../electron/core/preview/preview-details.ts';
import { toPreviewEvents } from '../../../electron/core/preview/preview-events.ts';
import { PreviewEventSchema } from '../../../electron/shared/ipc-contract.ts';
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const part = (ics: string, uid: number): CalendarPart => ({
  source: { folder: 'Team', uid, subject: 'Invitation', from: 'carol@corp.example', date: '2026-01-01T00:00:00.000Z' },
  section: '2', mimeMethod: 'REQUEST', text: ics,
});
const rows = (ics: string) => {
  const b = buildCalendar([part(ics, 1)], ['Team'], { include: new Set(['VEVENT']), cancelled: 'keep' });
  return toPreviewEvents(b.items, b.ics, undefined).events;
};

describe('preview details', () => {
  it('carries the rule, attendees with replies, alarms, categories and the time zone', () => {
    const [e] = rows(vcal('REQUEST', vevent({
      uid: 'weekly@x', summary: 'Weekly', start: '20260302T090000Z', end: '20260302T100000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T090000Z',
      extra: [
        'ORGANIZER;CN=Carol Chief:mailto:carol@corp.example',
        'ATTENDEE;CN=Dana;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:dana@corp.example',
        'ATTENDEE;PARTSTAT=DECLINED:mailto:eve@corp.example',
        'ATTENDEE:mailto:fay@corp.example',
        'CATEGORIES:Work,Planning',
        'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER:-PT15M', 'END:VALARM',
      ],
    })));
    PreviewEventSchema.parse(e);
    expect(e.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T090000Z');
    expect(e.attendees).toEqual([
      { name: 'Dana', email: 'dana@corp.example', reply: 'ACCEPTED', role: 'REQ-PARTICIPANT' },
      { name: '', email: 'eve@corp.example', reply: 'DECLINED' },
      { name: '', email: 'fay@corp.example', reply: 'NEEDS-ACTION' },
    ]);
    expect(e.alarms).toEqual(['duration:-PT15M']);
    expect(e.categories).toEqual(['Work', 'Planning']);
    expect(e.timeZone).toBe('UTC');
  });

  it('bounds a hostile attendee list', () => {
    const many = Array.from({ length: MAX_PREVIEW_ATTENDEES + 50 }, (_, i) => `ATTENDEE:mailto:a${i}@x.example`);
    const [e] = rows(vcal('REQUEST', vevent({ uid: 'many@x', summary: 'Crowd', start: '20260302T090000Z', end: '20260302T100000Z', extra: many })));
    expect(e.attendees).toHaveLength(MAX_PREVIEW_ATTENDEES);
    expect(e.rrule).toBeUndefined();
  });
});

// The preview bench's calendars: a 10,000-event profile (weekly series with overrides among single
// events) and 100 weekly series over a year, and the merged items a sync hands the preview rows with
// such a feed. Shared by the bench and the preview tests; builds text and reads it, nothing else.
import ICAL from 'ical.js';
import type { MergedItem } from '../../electron/core/ical/build-calendar.ts';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';

const pad = (n: number) => String(n).padStart(2, '0');

function day(base: number, offset: number): string {
  const d = new Date(base + offset * 86_400_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** `events` components: one in ten a weekly series (since 2024) with two overrides, the rest single events across 2026. */
export function tenThousandProfile(events = 10_000): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//preview//EN', BERLIN];
  const y2026 = Date.UTC(2026, 0, 1);
  let n = 0;
  for (let i = 0; n < events; i++) {
    if (i % 10 === 0) {
      const start = day(Date.UTC(2024, 0, 1), i % 7);
      lines.push('BEGIN:VEVENT', `UID:series-${i}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=Europe/Berlin:${start}T090000`, `DTEND;TZID=Europe/Berlin:${start}T093000`, 'RRULE:FREQ=WEEKLY', `SUMMARY:Series ${i}`, 'END:VEVENT');
      n++;
      for (const k of [3, 120]) {
        if (n >= events) break;
        const rid = day(Date.UTC(2024, 0, 1), (i % 7) + 7 * k);
        lines.push('BEGIN:VEVENT', `UID:series-${i}@bench`, 'DTSTAMP:20260101T000000Z', `RECURRENCE-ID;TZID=Europe/Berlin:${rid}T090000`, `DTSTART;TZID=Europe/Berlin:${rid}T140000`, `DTEND;TZID=Europe/Berlin:${rid}T143000`, `SUMMARY:Series ${i} (moved)`, 'END:VEVENT');
        n++;
      }
    } else {
      const d = day(y2026, i % 365);
      lines.push('BEGIN:VEVENT', `UID:single-${i}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART:${d}T${pad(8 + (i % 9))}0000Z`, `DTEND:${d}T${pad(9 + (i % 9))}0000Z`, `SUMMARY:Single ${i}`, 'END:VEVENT');
      n++;
    }
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

/** `count` weekly series, each on its own weekday and hour, across all of 2026 (52 or 53 each). */
export function weeklySeries(count = 100): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//preview//EN'];
  for (let i = 0; i < count; i++) {
    const start = day(Date.UTC(2025, 11, 29), i % 7);
    lines.push('BEGIN:VEVENT', `UID:weekly-${i}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART:${start}T${pad(6 + (i % 12))}0000Z`, `DTEND:${start}T${pad(6 + (i % 12))}3000Z`, 'RRULE:FREQ=WEEKLY', `SUMMARY:Weekly ${i}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

/** The merged items a sync would hand the preview rows with this feed (one per VEVENT, in order). */
export function itemsOf(ics: string): MergedItem[] {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((c, i) => {
    const rid = c.getFirstPropertyValue('recurrence-id');
    return { uid: String(c.getFirstPropertyValue('uid')), ...(rid ? { recurrenceId: String(rid) } : {}), kind: 'VEVENT', cancelled: false, source: { folder: 'INBOX', uid: i + 1, subject: 'bench', from: 'bench@example.org', date: '2026-01-01T00:00:00.000Z' } };
  });
}

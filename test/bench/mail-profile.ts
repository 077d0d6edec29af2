// The bench's mailbox, message by message: 20% invitations (a quarter of them updates), 5% with
// multi-megabyte attachments (every other one also an invitation), the rest plain mail. Deterministic.
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';
const prose = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i} of a perfectly ordinary message body, nothing to see.`).join('\r\n');

/** The calendar of the i-th message, if it has one: what a scan takes from it. */
export function calendarOf(i: number): { ics: string; subject: string; date: Date } | undefined {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  if (i % 20 === 7) return i % 40 === 7 ? { ics: vcal('REQUEST', vevent({ uid: `big-${i}@example.com`, summary: `Review of report ${i}` })), subject: `Report ${i}`, date } : undefined;
  if (i % 5 !== 0) return undefined;
  // 20%: invitations, a quarter of them updates of an earlier one.
  const uid = `ev-${i % 20 === 0 ? i - 5 : i}@example.com`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const ics = vcal('REQUEST', BERLIN, vevent({ uid, summary: `Meeting ${i}`, sequence: i % 20 === 0 ? 1 : 0, start: `TZID=Europe/Berlin:202603${day}T100000`, end: `TZID=Europe/Berlin:202603${day}T110000`,
    extra: ['ORGANIZER;CN=Organizer:mailto:organizer@example.com', 'ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.com', `DESCRIPTION:${'Agenda item. '.repeat(30)}`] }));
  return { ics, subject: `Invitation: Meeting ${i}`, date };
}

/** The i-th message (1-based). */
export function mail(i: number): Buffer {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  const cal = calendarOf(i);
  if (i % 20 === 7) {
    // 5%: a multi-megabyte non-calendar attachment (every other one carries an invitation too).
    const big = Buffer.alloc((2 + (i % 3)) * 1024 * 1024, i % 251);
    return buildMail({ subject: `Report ${i}`, date, text: prose(20), attachments: [{ contentType: 'application/pdf', filename: `report-${i}.pdf`, data: big }],
      calendars: cal ? [{ method: 'REQUEST', ics: cal.ics }] : [] });
  }
  if (cal) return buildMail({ subject: cal.subject, date, text: prose(40), calendars: [{ method: 'REQUEST', ics: cal.ics, encoding: 'base64' }] });
  return buildMail({ subject: `Message ${i}`, date, text: prose(30 + (i % 50)) });
}

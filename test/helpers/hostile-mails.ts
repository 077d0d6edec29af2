// Writes the hostile iCalendar mails of issue 12 (items 1–5) from its reproduction templates H and T,
// each with its own UID and subject, plus four ordinary invitations to mix them with. Test-only.
import { buildMail, vcal, vevent } from './mail-builder.ts';

/** The H, with the UID and subject made per case so that cases never merge with each other. */
export function hostileHead(uid: string, subject: string): string {
  return `From: m@evil.example\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n`;
}
/** The T. */
export const HOSTILE_TAIL = 'END:VEVENT\r\nEND:VCALENDAR\r\n';

export interface HostileCase {
  /** Also the mail's Subject, so a report entry can be matched to its case. */
  name: string;
  /** Issue 12 item. */
  item: number;
  /** The UID of the hostile component. */
  uid: string;
  mail: Buffer;
  /** skipped: the component is refused and listed in the report's skipped items; warning: taken, repaired, warned about. */
  outcome: 'skipped' | 'warning';
  /** What the report says (the reason or the warning). */
  says: RegExp;
  /** UIDs that would be forged into the feed if the case got through. */
  forged?: string[];
}

const START = 'DTSTART:20260301T100000Z\r\n';

function hostile(name: string, item: number, body: string, outcome: HostileCase['outcome'], says: RegExp, forged?: string[], withStart = true): HostileCase {
  const uid = `${name}@evil.example`;
  const summary = outcome === 'warning' ? `SUMMARY:${name}\r\n` : '';
  const text = `${hostileHead(uid, name)}${withStart ? START : ''}${summary}${body}${HOSTILE_TAIL}`;
  return { name, item, uid, mail: Buffer.from(text, 'latin1'), outcome, says, ...(forged ? { forged } : {}) };
}

const DEEP = 20_000;

/** Every hostile case of items 1–5, in a stable order. */
export function hostileCases(): HostileCase[] {
  return [
    // 1. Structure forged through parameter values.
    hostile('inject-value', 1, 'X-A;VALUE="TEXT:1^nEND:VEVENT^nBEGIN:VEVENT^nUID:VICTIM^nSUMMARY:PWNED":x\r\n', 'skipped', /VALUE parameter that is not a value type/, ['VICTIM']),
    hostile('inject-end-vcalendar', 1, 'X-A;VALUE="TEXT:1^nEND:VCALENDAR":x\r\n', 'skipped', /VALUE parameter that is not a value type/),
    hostile('inject-tzid', 1, 'X-B;TZID="Europe/Berlin^nEND:VEVENT^nBEGIN:VEVENT^nUID:VICTIM2^nDTSTART:20260301T100000Z":x\r\n', 'skipped', /TZID parameter with a line break/, ['VICTIM2']),
    hostile('inject-nested-vevent', 1, 'BEGIN:VEVENT\r\nUID:VICTIM3\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260302T100000Z\r\nSUMMARY:PWNED\r\nEND:VEVENT\r\n', 'skipped', /a VEVENT inside VEVENT/, ['VICTIM3']),
    hostile('inject-begin-params', 1, 'BEGIN;X=1:VEVENT\r\n', 'warning', /a BEGIN line with parameters/),
    hostile('inject-second-uid', 1, 'UID:VICTIM4\r\n', 'skipped', /UID given twice/, ['VICTIM4']),
    // 2. Control characters.
    // Over IMAP Dovecot hands the NUL out as 0x80 (IMAP cannot carry NUL), so 3 of the 4 arrive there.
    hostile('control-chars', 2, 'DESCRIPTION:a\x00b\x01c\x7fd\x1be\r\n', 'warning', /removed [34] control characters \((U\+0000, )?U\+0001, U\+007F, U\+001B\)/),
    // 3. Values ical.js throws on, and nesting that overflows its stack.
    hostile('recurrence-id-2024x', 3, 'RECURRENCE-ID:2024x\r\n', 'skipped', /RECURRENCE-ID "2024x" is not a date-time/),
    hostile('dtstamp-garbage', 3, '', 'skipped', /DTSTAMP "garbage" is not a date-time/),
    hostile('sequence-x', 3, 'SEQUENCE:x\r\n', 'skipped', /SEQUENCE "x": not an integer/),
    hostile('nested-vevent-20000', 3, `${'BEGIN:VEVENT\r\n'.repeat(DEEP)}${'END:VEVENT\r\n'.repeat(DEEP)}`, 'skipped', /nested 9 levels deep \(the limit is 8\)/),
    hostile('nested-valarm-20000', 3, `${'BEGIN:VALARM\r\n'.repeat(DEEP)}${'END:VALARM\r\n'.repeat(DEEP)}`, 'skipped', /nested 9 levels deep \(the limit is 8\)/),
    // 4. Invalid values.
    hostile('dtstart-month-13', 4, 'DTSTART:20241345T256000\r\n', 'skipped', /DTSTART "20241345T256000" is not a date-time: month 13/, undefined, false),
    hostile('dtstart-year-0000', 4, 'DTSTART:00000101T100000Z\r\n', 'skipped', /year 0000 is outside 1583–9998/, undefined, false),
    hostile('dtstart-year-9999', 4, 'DTSTART:99990101T100000Z\r\n', 'skipped', /year 9999 is outside 1583–9998/, undefined, false),
    hostile('dtstart-iso-form', 4, 'DTSTART:2024-13-45T25:61\r\n', 'skipped', /DTSTART "2024-13-45T25:61" is not a date-time/, undefined, false),
    hostile('dtstart-hour-25', 4, 'DTSTART:20240101T250000Z\r\n', 'skipped', /hour 25 does not exist/, undefined, false),
    hostile('dtstart-feb-30', 4, 'DTSTART;VALUE=DATE:20260230\r\n', 'skipped', /day 30 does not exist in month 2/, undefined, false),
    hostile('dtend-invalid', 4, 'DTEND:20260301T106100Z\r\n', 'skipped', /DTEND "20260301T106100Z" is not a date-time: minute 61/),
    hostile('exdate-invalid', 4, 'RRULE:FREQ=DAILY;COUNT=3\r\nEXDATE:20260302T100000Z,2026030T100000Z\r\n', 'skipped', /EXDATE "2026030T100000Z" is not a date-time/),
    hostile('rdate-invalid', 4, 'RDATE:20261301T100000Z\r\n', 'skipped', /RDATE "20261301T100000Z" is not a date-time: month 13/),
    hostile('rrule-until-invalid', 4, 'RRULE:FREQ=DAILY;UNTIL=20260399T000000Z\r\n', 'skipped', /UNTIL "20260399T000000Z": day 99/),
    hostile('rrule-freq-invalid', 4, 'RRULE:FREQ=FOO\r\n', 'skipped', /RRULE "FREQ=FOO": FREQ=FOO is not valid/),
    hostile('dtend-before-dtstart', 4, 'DTEND:20260201T100000Z\r\n', 'warning', /DTEND 20260201T100000Z is before DTSTART 20260301T100000Z; DTEND removed/),
    // 5. A line that is not a content line.
    hostile('line-without-colon', 5, 'THIS LINE HAS NO COLON\r\nLOCATION:kept\r\n', 'warning', /dropped a line that is not a readable iCalendar content line: no ":" after the property name in "THIS LINE HAS NO COLON"/),
  ].map((c) => (c.name === 'dtstamp-garbage' ? { ...c, mail: Buffer.from(c.mail.toString('latin1').replace('DTSTAMP:20260101T000000Z', 'DTSTAMP:garbage'), 'latin1') } : c));
}

/** A VTODO whose DUE is not a date (read with --include VTODO). */
export function hostileTodo(): HostileCase {
  const uid = 'due-invalid@evil.example';
  const text = `From: m@evil.example\r\nSubject: due-invalid\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:t\r\nDUE:20260431T100000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n`;
  return { name: 'due-invalid', item: 4, uid, mail: Buffer.from(text, 'latin1'), outcome: 'skipped', says: /DUE "20260431T100000Z" is not a date-time: day 31 does not exist in month 4/ };
}

export const GOOD_UIDS = ['good-1@example.com', 'good-2@example.com', 'good-3@example.com', 'good-4@example.com'];

/** Four ordinary invitations: UTC, a weekly series in a named zone, an all-day event, one with an alarm. */
export function goodInvitations(): Buffer[] {
  const mail = (i: number, ev: string) => buildMail({ subject: `Invitation ${i}`, date: new Date(Date.UTC(2026, 0, i, 9)), calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', ev) }] });
  return [
    mail(1, vevent({ uid: GOOD_UIDS[0], summary: 'Planning', start: '20260310T090000Z', end: '20260310T100000Z' })),
    mail(2, vevent({ uid: GOOD_UIDS[1], summary: 'Weekly sync', start: 'TZID=Europe/Berlin:20260303T110000', end: 'TZID=Europe/Berlin:20260303T113000', rrule: 'FREQ=WEEKLY;COUNT=6' })),
    mail(3, vevent({ uid: GOOD_UIDS[2], summary: 'Offsite', start: 'VALUE=DATE:20260320', end: 'VALUE=DATE:20260321' })),
    mail(4, vevent({ uid: GOOD_UIDS[3], summary: 'Review', start: '20260325T140000Z', end: '20260325T150000Z', extra: ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Review', 'TRIGGER:-PT15M', 'END:VALARM'] })),
  ];
}

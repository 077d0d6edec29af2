// The invitation kept-parts.test.ts and its natives child keep: one VEVENT in a zone it carries.
import { vcal, vevent } from '../../helpers/mail-builder.ts';

const ZONE = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE';

export const zonedInvite = (uid: string) => vcal('REQUEST', ZONE, vevent({ uid, start: 'TZID=Europe/Berlin:20260301T100000', end: 'TZID=Europe/Berlin:20260301T110000' }));

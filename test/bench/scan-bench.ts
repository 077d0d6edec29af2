// npm run bench: seeds a private Dovecot with N generated messages and measures a full scan:
// wall time, messages/s, bytes the server sent (Dovecot's logout log), peak RSS, events out.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { startDovecot } from '../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' } } });
const N = Number(values.messages);
const FOLDER = 'Bench';

const BERLIN = 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE';
const prose = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i} of a perfectly ordinary message body, nothing to see.`).join('\r\n');

function mail(i: number): Buffer {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  if (i % 20 === 7) {
    // 5%: a multi-megabyte non-calendar attachment (every other one carries an invitation too).
    const big = Buffer.alloc((2 + (i % 3)) * 1024 * 1024, i % 251);
    return buildMail({ subject: `Report ${i}`, date, text: prose(20), attachments: [{ contentType: 'application/pdf', filename: `report-${i}.pdf`, data: big }],
      calendars: i % 40 === 7 ? [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `big-${i}@example.com`, summary: `Review of report ${i}` })) }] : [] });
  }
  if (i % 5 === 0) {
    // 20%: invitations, a quarter of them updates of an earlier one.
    const uid = `ev-${i % 20 === 0 ? i - 5 : i}@example.com`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const ics = vcal('REQUEST', BERLIN, vevent({ uid, summary: `Meeting ${i}`, sequence: i % 20 === 0 ? 1 : 0, start: `TZID=Europe/Berlin:202603${day}T100000`, end: `TZID=Europe/Berlin:202603${day}T110000`,
      extra: ['ORGANIZER;CN=Organizer:mailto:organizer@example.com', 'ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.com', `DESCRIPTION:${'Agenda item. '.repeat(30)}`] }));
    return buildMail({ subject: `Invitation: Meeting ${i}`, date, text: prose(40), calendars: [{ method: 'REQUEST', ics, encoding: 'base64' }] });
  }
  return buildMail({ subject: `Message ${i}`, date, text: prose(30 + (i % 50)) });
}

const server = await startDovecot();
try {
  server.createFolder(FOLDER);
  const t0 = performance.now();
  let folderBytes = 0;
  for (let i = 1; i <= N; i++) {
    const m = mail(i);
    folderBytes += m.length;
    server.addMessage(FOLDER, m);
  }
  const seedMs = performance.now() - t0;
  const before = server.readSessionStats();
  const child = path.resolve(import.meta.dirname, 'scan-child.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER], {
    env: { ...process.env, MAILBOX2ICS_PASSWORD: server.password },
    maxBuffer: 1 << 26,
  }).toString();
  const r = JSON.parse(out.trim().split('\n').pop()!);
  // Dovecot writes the logout line when the session ends; give it a moment.
  await new Promise((res) => setTimeout(res, 500));
  const after = server.readSessionStats();
  const serverBytes = after.bytesOut - before.bytesOut;
  const pct = (100 * serverBytes) / folderBytes;
  const rssMb = r.maxRssKb / 1024;
  const rows: Array<[string, string, string]> = [
    ['messages', String(r.messages), ''],
    ['folder size', `${(folderBytes / 1048576).toFixed(1)} MB`, `seeded in ${(seedMs / 1000).toFixed(1)} s`],
    ['wall time (full scan)', `${(r.wallMs / 1000).toFixed(2)} s`, ''],
    ['messages/s', (r.messages / (r.wallMs / 1000)).toFixed(0), ''],
    ['bytes sent by server', `${serverBytes} (${pct.toFixed(2)}% of folder)`, pct <= 3 ? 'OK (target ≤ 3%)' : 'OVER TARGET (≤ 3%)'],
    ['bytes counted by client', String(r.clientBytes), ''],
    ['peak RSS (scan process)', `${rssMb.toFixed(0)} MB`, rssMb <= 200 ? 'OK (target ≤ 200 MB)' : 'OVER TARGET (≤ 200 MB)'],
    ['events out', String(r.eventsOut), `${r.skipped} skipped`],
  ];
  for (const [k, v, note] of rows) console.log(`${k.padEnd(26)} ${v.padEnd(32)} ${note}`);
} finally {
  await server.stop();
}

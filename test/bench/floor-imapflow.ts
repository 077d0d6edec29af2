// Bench floor: the scan's IMAP steps through imapflow and nothing of ours but finding the calendar
// sections in BODYSTRUCTURE — structures in batches, then the calendar parts (with ENVELOPE) per batch.
// Writes the UIDs and sections it fetched (the raw floor sends the same), prints a JSON line (the bench
// counts the bytes in Dovecot's log).
import { writeFileSync, readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { findCalendarSections } from '../../electron/core/imap/body-structure.ts';

const [host, port, user, caFile, folder, plan] = process.argv.slice(2);
const BATCH = 500;
const started = performance.now();
const client = new ImapFlow({ host, port: Number(port), secure: true, auth: { user, pass: process.env.MAILBOX2ICS_PASSWORD ?? '' }, tls: { ca: readFileSync(caFile) }, logger: false });
await client.connect();
await client.mailboxOpen(folder, { readOnly: true });
const uids = ((await client.search({ all: true }, { uid: true })) || []) as number[];
const fetched: Array<{ uids: number[]; sections: string[] }> = [];
let parts = 0;
for (let i = 0; i < uids.length; i += BATCH) {
  const batch = uids.slice(i, i + BATCH);
  const want = new Map<string, number[]>();
  for await (const m of client.fetch(batch.join(','), { uid: true, bodyStructure: true, internalDate: true, size: true }, { uid: true })) {
    if (!m.bodyStructure) continue;
    const key = findCalendarSections(m.bodyStructure).calendar.map((s) => s.section).join(' ');
    if (key) want.set(key, [...(want.get(key) ?? []), m.uid]);
  }
  for (const [key, list] of want) {
    const sections = key.split(' ');
    for await (const m of client.fetch(list.join(','), { uid: true, envelope: true, bodyParts: sections }, { uid: true })) parts += m.bodyParts?.size ?? 0;
    fetched.push({ uids: list, sections });
  }
}
await client.logout();
const wallMs = performance.now() - started;
if (plan) writeFileSync(plan, JSON.stringify({ uids: uids.length, fetched }));
process.stdout.write(JSON.stringify({ wallMs, parts, maxRssKb: process.resourceUsage().maxRSS }) + '\n');

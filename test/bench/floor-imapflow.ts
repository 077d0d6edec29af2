// Bench floor: the scan's IMAP steps through imapflow and nothing of ours but finding the calendar
// sections in BODYSTRUCTURE — structures in batches, then the calendar parts (with ENVELOPE) per batch.
// Writes the UIDs and sections it fetched (the raw floor sends the same), prints a JSON line (the bench
// counts the bytes in Dovecot's log).
import { writeFileSync, readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { fetchCalendarParts } from './floor-fetch.ts';

const [host, port, user, caFile, folder, plan] = process.argv.slice(2);
const started = performance.now();
const client = new ImapFlow({ host, port: Number(port), secure: true, auth: { user, pass: process.env.MAILBOX2ICS_PASSWORD ?? '' }, tls: { ca: readFileSync(caFile) }, logger: false });
await client.connect();
await client.mailboxOpen(folder, { readOnly: true });
const uids = ((await client.search({ all: true }, { uid: true })) || []) as number[];
const { fetched, parts } = await fetchCalendarParts(client, uids);
await client.logout();
const wallMs = performance.now() - started;
if (plan) writeFileSync(plan, JSON.stringify({ uids: uids.length, fetched }));
process.stdout.write(JSON.stringify({ wallMs, parts, maxRssKb: process.resourceUsage().maxRSS }) + '\n');

// Bench floor: the same IMAP commands as the scan over a raw TLS socket, parsing nothing but where a
// response ends (literals skipped by their announced length). The calendar sections to fetch come from
// the imapflow floor's plan file. Prints a JSON line: wall time and bytes received.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { FLOOR_BATCH as BATCH } from './floor-fetch.ts';

const [host, port, user, caFile, folder, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { fetched: Array<{ uids: number[]; sections: string[] }> };
const started = performance.now();
const socket = tls.connect({ host, port: Number(port), ca: readFileSync(caFile), servername: 'localhost' });
let bytes = 0;
let buf: Buffer = Buffer.alloc(0);
/** Bytes of a literal still to skip before lines count again. */
let skip = 0;
let waiting: { tag: string; resolve: (lines: string[]) => void; lines: string[] } | undefined;
let greeted: (() => void) | undefined;

socket.on('data', (chunk: Buffer) => {
  bytes += chunk.length;
  buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
  for (;;) {
    if (skip) {
      const n = Math.min(skip, buf.length);
      skip -= n;
      buf = buf.subarray(n);
      if (skip) return;
    }
    const nl = buf.indexOf(10);
    if (nl < 0) return;
    const line = buf.subarray(0, nl + 1).toString('latin1');
    buf = buf.subarray(nl + 1);
    const lit = /\{(\d+)\}\r\n$/.exec(line);
    if (lit) skip = Number(lit[1]);
    if (greeted && line.startsWith('* OK')) {
      greeted();
      greeted = undefined;
      continue;
    }
    if (!waiting) continue;
    if (line.startsWith(`${waiting.tag} `)) {
      const w = waiting;
      waiting = undefined;
      if (!/^\S+ OK/.test(line)) throw new Error(`raw floor: ${line.trim()}`);
      w.resolve(w.lines);
    } else if (line.startsWith('* SEARCH')) waiting.lines.push(line);
  }
});

let n = 0;
function command(text: string): Promise<string[]> {
  const tag = `A${++n}`;
  return new Promise((resolve) => {
    waiting = { tag, resolve, lines: [] };
    socket.write(`${tag} ${text}\r\n`);
  });
}

await new Promise<void>((resolve) => (greeted = resolve));
const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
await command(`LOGIN ${quote(user)} ${quote(process.env.MAILBOX2ICS_PASSWORD ?? '')}`);
await command(`EXAMINE ${quote(folder)}`);
const found = await command('UID SEARCH ALL');
const uids = found.join(' ').replace(/\* SEARCH/g, ' ').trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
const byBatch = new Map<number, Array<{ uids: number[]; sections: string[] }>>();
for (const f of plan.fetched) {
  const b = Math.floor(uids.indexOf(f.uids[0]) / BATCH);
  byBatch.set(b, [...(byBatch.get(b) ?? []), f]);
}
for (let i = 0; i < uids.length; i += BATCH) {
  await command(`UID FETCH ${uids.slice(i, i + BATCH).join(',')} (UID BODYSTRUCTURE INTERNALDATE RFC822.SIZE)`);
  for (const f of byBatch.get(i / BATCH) ?? []) {
    await command(`UID FETCH ${f.uids.join(',')} (UID ENVELOPE ${f.sections.map((s) => `BODY.PEEK[${s}]`).join(' ')})`);
  }
}
await command('LOGOUT').catch(() => []);
socket.end();
process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, bytesRead: bytes, maxRssKb: process.resourceUsage().maxRSS }) + '\n');

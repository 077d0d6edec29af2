// Bench floor for the re-syncs: the IMAP commands an incremental sync sends, through imapflow, with
// nothing of ours but finding the calendar sections in BODYSTRUCTURE and the UID diff. Its own state
// (UIDVALIDITY, UIDNEXT, EXISTS, the UIDs it knows) lives in a JSON file, as ours lives in the cache.
// One sync per process (a cron run), or with BENCH_POOLED=1 a kept-open connection driven like
// scan-child.ts (child-rounds.ts). A run without a state file only records the state.
// Prints a JSON line: the median wall time of the timed syncs and each of them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { ready, timedRounds, warmUp } from './child-rounds.ts';
import { fetchCalendarParts } from './floor-fetch.ts';

const [host, port, user, caFile, folder, stateFile] = process.argv.slice(2);

interface State {
  uidValidity: string;
  uidNext: number;
  exists: number;
  uids: number[];
}

let state: State | undefined = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State) : undefined;
const options = () => ({ host, port: Number(port), secure: true, auth: { user, pass: process.env.MAILBOX2ICS_PASSWORD ?? '' }, tls: { ca: readFileSync(caFile) }, logger: false as const });
let client: ImapFlow | undefined;
let closing: Promise<unknown> = Promise.resolve();

/** One sync as ours runs it: LIST, EXAMINE, the UID diff, structures of the new messages, then their calendar parts with ENVELOPE. */
async function sync(keepOpen: boolean): Promise<{ fetched: number; expunged: number }> {
  await closing;
  if (!client) {
    client = new ImapFlow(options());
    await client.connect();
  }
  await client.list();
  const mb = await client.mailboxOpen(folder, { readOnly: true });
  const uidValidity = String(mb.uidValidity);
  const uidNext = Number(mb.uidNext);
  let fresh: number[] = [];
  let known = state && state.uidValidity === uidValidity ? state.uids : undefined;
  let expunged = 0;
  if (!known) {
    known = ((await client.search({ all: true }, { uid: true })) || []) as number[];
  } else if (state!.uidNext !== uidNext || state!.exists !== mb.exists) {
    const from = state!.uidNext;
    const newer = (((await client.search({ uid: `${from}:*` }, { uid: true })) || []) as number[]).filter((u) => u >= from);
    if (known.length + newer.length === mb.exists) fresh = newer;
    else {
      const now = ((await client.search({ all: true }, { uid: true })) || []) as number[];
      const had = new Set(known);
      fresh = now.filter((u) => !had.has(u));
      expunged = known.length - (now.length - fresh.length);
      known = now.filter((u) => had.has(u));
    }
  }
  await fetchCalendarParts(client, fresh);
  state = { uidValidity, uidNext, exists: mb.exists, uids: [...known, ...fresh].sort((a, b) => a - b) };
  writeFileSync(stateFile, JSON.stringify(state));
  if (keepOpen) {
    // As the pool does: CLOSE not awaited, the next sync waits for it.
    const c = client;
    closing = c.mailboxClose().catch(() => undefined);
  } else {
    await client.logout();
    client = undefined;
  }
  return { fetched: fresh.length, expunged };
}

const pooled = !!process.env.BENCH_POOLED;
const timed = timedRounds(pooled);
await warmUp(pooled, () => sync(true));
const walls: number[] = [];
let last = { fetched: 0, expunged: 0 };
for (let i = 0; i < timed; i++) {
  if (pooled) await ready();
  const started = performance.now();
  last = await sync(pooled);
  walls.push(performance.now() - started);
}
process.stdin.pause();
await closing;
await client?.logout();
const wallMs = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)];
process.stdout.write(JSON.stringify({ wallMs, walls, ...last }) + '\n');

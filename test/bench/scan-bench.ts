// npm run bench: seeds a private Dovecot with N generated messages and measures a full scan:
// wall time, messages/s, bytes the server sent (Dovecot's logout log), peak RSS, events out.
// Then incremental sync with the persistent cache: a cache-filling full scan, a re-sync with no
// change, after 1% new messages and after 1% expunged ones, checked against a fresh full scan.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { startDovecot } from '../helpers/dovecot.ts';
import { mail } from './mail-profile.ts';
import { bundleBenchChildren } from './bench-bundle.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, summary: { type: 'string' }, 'rss-only': { type: 'boolean' } } });
const N = Number(values.messages);
const FOLDER = 'Bench';
/** Untimed syncs a kept-open process runs (one new message before each) before the timed ones. */
const WARM_ROUNDS = 5;
/** Timed repetitions of each incremental case (the folder changes again before each); the median counts. */
const TIMED_ROUNDS = 5;

/** What scan-child.ts prints. wallMs is timed inside the child, so it excludes Node start-up and loading the code. */
interface ChildResult {
  /** The median of `walls`. */
  wallMs: number;
  /** Median processor time of the timed syncs (less sensitive than wall time to a busy machine). */
  cpuMs: number;
  walls: number[];
  /** Kept-open runs: storing the last feed once the process is idle (not part of a sync). */
  deferredWriteMs: number;
  /** Loading the IMAP client (imapflow) in the fresh process, before the timed sync (not part of it). */
  importMs: number;
  messages: number;
  eventsOut: number;
  clientBytes: number;
  skipped: number;
  icsBytes: number;
  icsSha256: string;
  messagesFetched: number;
  messagesExpunged: number;
  syncMode: string;
  maxRssKb: number;
}

/** What floor-resync.ts prints. */
interface FloorResult {
  wallMs: number;
  walls: number[];
  fetched: number;
  expunged: number;
}

const server = await startDovecot();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'm2i-bench-cache-'));
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
  // Every child runs bundled under plain Node, as users run the command (see bench-bundle.ts).
  const bundled = await bundleBenchChildren();
  const child = bundled('scan-child.ts');

  /** One scan in a child process (stateless, or against cacheFile) plus the bytes the server sent for its session. */
  async function runScan(cacheFile?: string): Promise<ChildResult & { serverBytes: number }> {
    const before = server.readSessionStats();
    const args = [server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER, ...(cacheFile ? [cacheFile] : [])];
    const out = execFileSync(process.execPath, [child, ...args], {
      env: { ...process.env, MAILBOX2ICS_PASSWORD: server.password },
      maxBuffer: 1 << 26,
    }).toString();
    const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
    // Dovecot writes the logout line just after the socket closes: wait for this run's session.
    const after = await server.waitForSessions(before.sessions + 1);
    return { ...r, serverBytes: after.bytesOut - before.bytesOut };
  }

  if (values['rss-only']) {
    // Peak RSS of one stateless full scan of this (larger) folder, for the "flat" check.
    const one = await runScan();
    if (values.summary) writeFileSync(values.summary, JSON.stringify({ messages: one.messages, maxRssKb: one.maxRssKb, wallMs: one.wallMs }));
    console.log(`peak RSS, ${one.messages} messages: ${(one.maxRssKb / 1024).toFixed(0)} MB (full scan ${(one.wallMs / 1000).toFixed(1)} s)`);
  } else {
  /**
   * A child that syncs when told (scan-child.ts or floor-resync.ts with BENCH_POOLED): it prints READY
   * before each sync after its first and waits for a line on stdin; its last line is its result.
   */
  function driven(script: string, args: string[], env: Record<string, string>) {
    const proc = spawn(process.execPath, [script, ...args], { env: { ...process.env, MAILBOX2ICS_PASSWORD: server.password, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let readies = 0;
    let consumed = 0;
    let exited = false;
    const pending: Array<() => void> = [];
    const check = () => {
      while (pending.length && (readies > consumed || exited)) {
        if (readies > consumed) consumed += 1;
        pending.shift()!();
      }
    };
    const closed = new Promise<number>((resolve, reject) => {
      proc.on('error', reject);
      proc.on('close', (code) => {
        exited = true;
        check();
        resolve(code ?? 1);
      });
    });
    // A child that died is reported by result() with its exit code, not by a write to its closed stdin.
    proc.stdin.on('error', () => {});
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      while (out.includes('READY\n')) {
        out = out.replace('READY\n', '');
        readies += 1;
      }
      check();
    });
    return {
      /** Until the child is READY for its next sync, or has ended. */
      ready: () => new Promise<void>((resolve) => {
        pending.push(resolve);
        check();
      }),
      go: () => proc.stdin.write('go\n'),
      /** Its result, once it has ended after `readies` READYs. */
      result: async <T>(expected: number): Promise<T> => {
        const code = await closed;
        if (code !== 0 || readies !== expected) throw new Error(`pooled bench child ${path.basename(script)} failed (exit ${code}, ${readies} rounds)`);
        return JSON.parse(out.trim().split('\n').pop()!) as T;
      },
    };
  }

  /**
   * As the tray and `serve` run it: one process keeps its connection open and syncs again and again.
   * Before each of WARM_ROUNDS untimed syncs one new message arrives; before the timed sync,
   * `change` alters the folder. The re-sync floor (floor-resync.ts) runs beside it in a kept-open
   * process of its own, each round just after ours: Dovecot takes in the change for whoever asks
   * first, so the floor is, if anything, flattered.
   */
  async function runPooled(cacheFile: string, floorState: string, change: () => void | Promise<void>): Promise<ChildResult & { serverBytes: number; floor: FloorResult }> {
    const total = WARM_ROUNDS + TIMED_ROUNDS;
    const before = server.readSessionStats();
    const env = { BENCH_POOLED: '1', BENCH_ROUNDS: String(WARM_ROUNDS), BENCH_TIMED: String(TIMED_ROUNDS) };
    const ours = driven(child, [server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER, cacheFile], env);
    const floor = driven(bundled('floor-resync.ts'), [server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER, floorState], env);
    await ours.ready();
    await floor.ready();
    for (let round = 0; round < total; round++) {
      if (round < WARM_ROUNDS) add(1);
      else await change();
      ours.go();
      await ours.ready();
      floor.go();
      await floor.ready();
    }
    const r = await ours.result<ChildResult>(total);
    const f = await floor.result<FloorResult>(total);
    await server.waitForSessions(before.sessions + 2);
    // Dovecot logs bytes per session, and this session spans every round: count the timed sync's
    // bytes on the client side instead.
    return { ...r, serverBytes: r.clientBytes, floor: f };
  }

  /** A floor script (floor-raw.ts, floor-imapflow.ts) in its own process, with the bytes the server sent for its session. */
  async function runFloor(script: string, plan: string): Promise<{ wallMs: number; serverBytes: number; maxRssKb: number }> {
    const before = server.readSessionStats();
    const args = [server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER, plan];
    const out = execFileSync(process.execPath, [bundled(script), ...args], {
      env: { ...process.env, MAILBOX2ICS_PASSWORD: server.password },
      maxBuffer: 1 << 26,
    }).toString();
    const f = JSON.parse(out.trim().split('\n').pop()!) as { wallMs: number; maxRssKb: number };
    const after = await server.waitForSessions(before.sessions + 1);
    return { ...f, serverBytes: after.bytesOut - before.bytesOut };
  }


  // The full scan and its two floors, interleaved (each round: raw, imapflow, ours) so all see the same
  // machine; the median of FLOOR_ROUNDS counts. The imapflow floor writes the sections the raw one asks for.
  const FLOOR_ROUNDS = 3;
  const planFile = path.join(cacheDir, 'floor-plan.json');
  const floors = { raw: [] as Array<{ wallMs: number; serverBytes: number }>, imapflow: [] as Array<{ wallMs: number; serverBytes: number }>, ours: [] as Array<ChildResult & { serverBytes: number }> };
  await runFloor('floor-imapflow.ts', planFile); // warms Dovecot's indexes for every contender alike
  for (let i = 0; i < FLOOR_ROUNDS; i++) {
    floors.imapflow.push(await runFloor('floor-imapflow.ts', planFile));
    floors.raw.push(await runFloor('floor-raw.ts', planFile));
    floors.ours.push(await runScan());
  }
  const mid = <T extends { wallMs: number }>(xs: T[]): T => [...xs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(xs.length / 2)];
  const r = mid(floors.ours);
  const rawFloor = mid(floors.raw);
  const flowFloor = mid(floors.imapflow);
  console.log(`full scan --no-cache: ours ${(r.wallMs / 1000).toFixed(2)} s, imapflow floor ${(flowFloor.wallMs / 1000).toFixed(2)} s, raw floor ${(rawFloor.wallMs / 1000).toFixed(2)} s`);
  console.log(`bytes sent by the server: ours ${r.serverBytes}, imapflow floor ${flowFloor.serverBytes}, raw floor ${rawFloor.serverBytes}`);
  const serverBytes = r.serverBytes;
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

  // Incremental sync: every run below uses the same cache file, each in a fresh child process.
  const cacheFile = path.join(cacheDir, 'cache.sqlite');
  const K = Math.max(1, Math.round(N / 100)); // 1% of the folder
  const filled = await runScan(cacheFile);
  // New messages are generated like the seed, continuing its numbering.
  let next = N + 1;
  let files = N;
  const add = (count: number) => {
    for (let i = 0; i < count; i++) server.addMessage(FOLDER, mail(next++));
    files += count;
  };
  // 1% expunged: delete K message files spread evenly over the folder (a mix of plain mails,
  // invitations and large attachments); Dovecot sees the missing files as expunges. Highest index
  // first, so the lower indices still point at the same files.
  const expunge = () => {
    for (let k = K - 1; k >= 0; k--) server.removeMessageFile(FOLDER, Math.floor((k * files) / K));
    files -= K;
  };
  /** The re-sync floor (floor-resync.ts) as one sync in a fresh process, against its own state file. */
  async function runResyncFloor(stateFile: string): Promise<FloorResult> {
    const before = server.readSessionStats();
    const out = execFileSync(process.execPath, [bundled('floor-resync.ts'), server.host, String(server.imapsPort), server.user, server.pki.caFile, FOLDER, stateFile], {
      env: { ...process.env, MAILBOX2ICS_PASSWORD: server.password },
      maxBuffer: 1 << 26,
    }).toString();
    await server.waitForSessions(before.sessions + 1);
    return JSON.parse(out.trim().split('\n').pop()!) as FloorResult;
  }
  // The floor's state starts where the cache does: just after the cache-filling scan.
  const floorState = path.join(cacheDir, 'floor-state.json');
  await runResyncFloor(floorState);
  /**
   * A fresh process per sync (a cron run of the CLI), `change` before each; the median run counts.
   * The re-sync floor runs just after each of ours, in a fresh process too (flattered, if anything:
   * see runPooled).
   */
  async function runOneShots(cacheFile: string, change: () => void | Promise<void>): Promise<ChildResult & { serverBytes: number; floor: FloorResult }> {
    const runs: Array<ChildResult & { serverBytes: number }> = [];
    const floorWalls: number[] = [];
    let floor!: FloorResult;
    for (let i = 0; i < TIMED_ROUNDS; i++) {
      await change();
      runs.push(await runScan(cacheFile));
      floor = await runResyncFloor(floorState);
      floorWalls.push(floor.wallMs);
    }
    const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { ...sorted[Math.floor(runs.length / 2)], walls: runs.map((r) => r.wallMs), floor: { ...floor, wallMs: median(floorWalls), walls: floorWalls } };
  }
  // A tray app syncs every few minutes, not within a second of a delivery. Dovecot re-reads a
  // Maildir directory whose mtime is under a second or two old (mtime granularity: it cannot know
  // whether more changed within the same second), a 10,000-entry readdir that would be timed as
  // ours. So every change is followed by a pause before the sync that sees it.
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 2000));
  const then = (change: () => void) => async () => {
    change();
    await settle();
  };
  const unchanged = await runOneShots(cacheFile, settle);
  const unchangedPooled = await runPooled(cacheFile, floorState, settle);
  const added = await runOneShots(cacheFile, then(() => add(K)));
  const addedPooled = await runPooled(cacheFile, floorState, then(() => add(K)));
  const expunged = await runOneShots(cacheFile, then(expunge));
  const expungedPooled = await runPooled(cacheFile, floorState, then(expunge));
  // The reference: a stateless full scan of the folder as it is now.
  const fresh = await runScan();

  // Baseline for the time targets: the cache-filling full scan (a). The first stateless scan above
  // also pays for Dovecot indexing the freshly seeded Maildir, which would flatter the percentages.
  const base = filled.wallMs;
  const table: string[][] = [
    ['run', 'mode', 'wall time', '% of full scan (a)', 'CPU', 're-sync floor', 'bytes sent by server', 'fetched', 'expunged', 'each run (ms)', 'target'],
  ];
  const verdict = (ok: boolean, target: string) => (ok ? `OK (${target})` : `OVER TARGET (${target})`);
  const row = (name: string, x: ChildResult & { serverBytes: number; floor?: FloorResult }, note: string) =>
    table.push([name, x.syncMode, `${(x.wallMs / 1000).toFixed(3)} s`, `${((100 * x.wallMs) / base).toFixed(2)}%`, `${x.cpuMs.toFixed(0)} ms`, x.floor ? `${x.floor.wallMs.toFixed(0)} ms = ${((100 * x.floor.wallMs) / base).toFixed(2)}%, ours ${(x.wallMs / x.floor.wallMs).toFixed(2)}×` : '', String(x.serverBytes), String(x.messagesFetched), String(x.messagesExpunged), x.walls.map((w) => w.toFixed(0)).join(' '), note]);
  row('(a) full scan, filling cache', filled, 'baseline');
  row('no change (new connection)', unchanged, verdict(unchanged.messagesFetched === 0 && unchanged.wallMs <= base / 100, '0 fetched, ≤ 1%'));
  row('no change (kept-open conn.)', unchangedPooled, verdict(unchangedPooled.messagesFetched === 0 && unchangedPooled.wallMs <= base / 100, '0 fetched, ≤ 1%'));
  row(`${K} new (1%), new conn.`, added, verdict(added.wallMs <= base / 20, '≤ 5%'));
  row(`${K} new (1%), kept-open conn.`, addedPooled, verdict(addedPooled.wallMs <= base / 20, '≤ 5%'));
  row(`${K} expunged (1%), new conn.`, expunged, '');
  row(`${K} expunged (1%), kept-open`, expungedPooled, '');
  row('stateless full, after', fresh, '');
  console.log('');
  console.log('incremental sync (one cache file; wall time measured inside the child, excluding Node startup)');
  console.log(`"new conn.": a fresh process per sync (a cron run of the CLI). "kept-open": one process, connection kept open, after ${WARM_ROUNDS} earlier`);
  console.log('syncs (as the tray app and `serve` run); its bytes are those the client counted for the timed sync alone.');
  console.log(`Each incremental case runs ${TIMED_ROUNDS} times, the folder changing again before each; the median counts.`);
  console.log('"re-sync floor": the same IMAP commands through imapflow alone (floor-resync.ts: LIST, EXAMINE, the UID diff, structures, calendar parts),');
  console.log('in a process of its own run the same way, each time just after ours (Dovecot takes in a change for whoever asks first).');
  console.log('A kept-open process stores its last merged feed in the cache when idle, not during the sync; that write, measured once');
  console.log(`after the timed syncs: ${[addedPooled, expungedPooled].map((x) => `${x.deferredWriteMs.toFixed(1)} ms`).join(' (1% new), ')} (1% expunged).`);
  console.log(`Each process loads the IMAP client (imapflow) before its timed syncs, as start-up; that load took ${[unchanged, added, expunged].map((x) => `${x.importMs.toFixed(0)} ms`).join(' / ')} in the`);
  console.log('median one-shot runs (no change / 1% new / 1% expunged); a one-shot CLI run pays it on top of the wall times below.');
  const widths = table[0].map((_, c) => Math.max(...table.map((t) => t[c].length)));
  for (const t of table) console.log(t.map((cell, c) => (c === t.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
  const last = expungedPooled;
  const same = last.icsSha256 === fresh.icsSha256 && last.icsBytes === fresh.icsBytes && last.eventsOut === fresh.eventsOut;
  console.log(
    `incremental == full scan: ${same ? 'yes' : 'no'} (cached: ${last.eventsOut} events, ${last.icsBytes} bytes, sha256 ${last.icsSha256.slice(0, 12)}; ` +
      `full: ${fresh.eventsOut} events, ${fresh.icsBytes} bytes, sha256 ${fresh.icsSha256.slice(0, 12)})`,
  );
  if (values.summary) {
    writeFileSync(values.summary, JSON.stringify({
      messages: r.messages,
      full: { ours: r.wallMs, imapflow: flowFloor.wallMs, raw: rawFloor.wallMs, rounds: { ours: floors.ours.map((x) => x.wallMs), imapflow: floors.imapflow.map((x) => x.wallMs), raw: floors.raw.map((x) => x.wallMs) } },
      bytes: { ours: r.serverBytes, imapflow: flowFloor.serverBytes, raw: rawFloor.serverBytes },
      maxRssKb: r.maxRssKb,
      base,
      importMs: [unchanged, added, expunged].map((x) => x.importMs),
      cpu: { unchanged: unchanged.cpuMs, added: added.cpuMs, expunged: expunged.cpuMs, addedPooled: addedPooled.cpuMs },
      floors: { unchanged: unchanged.floor.wallMs, added: added.floor.wallMs, expunged: expunged.floor.wallMs, addedPooled: addedPooled.floor.wallMs, addedPooledRuns: addedPooled.floor.walls },
      resync: { unchanged: unchanged.wallMs, added: added.wallMs, expunged: expunged.wallMs, addedPooled: addedPooled.wallMs, unchangedPooled: unchangedPooled.wallMs, expungedPooled: expungedPooled.wallMs, addedRuns: added.walls, addedPooledRuns: addedPooled.walls },
      same,
    }));
  }
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
  await server.stop();
}

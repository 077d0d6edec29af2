// kill -9 in the middle of a sync, as a user's machine would do it: the CLI (a child process) is
// killed while a batch is in flight, then at arbitrary moments while the folder keeps changing. After
// every kill the previous output is intact and the cache passes SQLite's integrity check; the next
// run resumes from the committed batches and its output equals a fresh full scan byte for byte.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

const BIN = path.resolve(import.meta.dirname, '../../electron/cli/bin.mjs');
const run = promisify(execFile);
const TOTAL = 1200;

let server: DovecotServer;
let proxy: FaultProxy;
let dir: string;
let next = 1;

function mail(i: number): Buffer {
  if (i % 3 === 0) {
    const uid = `crash-${i % 6 === 0 ? i - 3 : i}@example.com`; // every other invitation updates an earlier one
    return buildMail({ subject: `Invitation ${i}`, text: 'Agenda attached.', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary: `Meeting ${i}`, sequence: i % 6 === 0 ? 1 : 0 })) }] });
  }
  return buildMail({ subject: `Message ${i}`, text: `Body ${i} `.repeat(40) });
}

const env = () => ({ PATH: process.env.PATH, HOME: dir, TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', MAILBOX2ICS_PASSWORD: server.password });
const args = (out: string, extra: string[] = []) => ['-v', '-o', out, '--cache-dir', path.join(dir, 'cache'), ...extra, '--port', String(proxy.port), '--ca-file', server.pki.caFile, server.host, server.user, 'Big'];

/** Starts the CLI and SIGKILLs it when `when` says so (given each stderr line), or after a delay. */
function runAndKill(out: string, when: { line?: (l: string) => boolean; afterMs?: number }): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args(out)], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const kill = () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const lines = stderr.split('\n');
      if (when.line && lines.some(when.line)) {
        proxy.hold(true); // nothing more reaches the client: the next batch is certainly in flight
        kill();
      }
      if (when.afterMs !== undefined && /Connecting to/.test(stderr)) setTimeout(kill, when.afterMs);
    });
    child.on('exit', (_code, signal) => {
      proxy.hold(false);
      resolve({ killed: signal === 'SIGKILL', stderr });
    });
  });
}

function cacheState(): { integrity: string; cached: number; complete: boolean } {
  const db = new Database(path.join(dir, 'cache', 'cache.sqlite'));
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    const cached = (db.prepare("SELECT count(*) AS n FROM messages WHERE folder = 'Big'").get() as { n: number }).n;
    // A scan in progress is recorded as incomplete; the real state only after the last batch.
    const row = db.prepare("SELECT complete FROM folders WHERE folder = 'Big'").get() as { complete: number } | undefined;
    return { integrity, cached, complete: row?.complete === 1 };
  } finally {
    db.close();
  }
}

async function fullScan(): Promise<string> {
  const out = path.join(dir, `fresh-${next++}.ics`);
  await run(process.execPath, [BIN, '-o', out, '--no-cache', '--port', String(proxy.port), '--ca-file', server.pki.caFile, server.host, server.user, 'Big'], { env: env() });
  return readFileSync(out, 'utf8');
}

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'crash-'));
  server.createFolder('Big');
  for (let i = 1; i <= TOTAL; i++) server.addMessage('Big', mail(i));
  next = TOTAL + 1;
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

describe('kill -9 mid-sync', () => {
  it('a kill while a batch is in flight keeps the previous output and a consistent cache; the next run resumes and is correct', async () => {
    const out = path.join(dir, 'feed.ics');
    writeFileSync(out, 'PREVIOUS GOOD FEED\n');
    const progress = /^Big: (\d+)\/(\d+) messages/;
    const r = await runAndKill(out, { line: (l) => { const m = progress.exec(l); return !!m && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]); } });
    expect(r.killed).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('PREVIOUS GOOD FEED\n');
    const after = cacheState();
    expect(after.integrity).toBe('ok');
    // At least one batch was committed, not all of them, and the folder was never marked complete.
    expect(after.cached).toBeGreaterThan(0);
    expect(after.cached).toBeLessThan(TOTAL);
    expect(after.complete).toBe(false);

    const report = path.join(dir, 'resume.json');
    await run(process.execPath, [BIN, ...args(out, ['--report-json', report])], { env: env() });
    const folder = JSON.parse(readFileSync(report, 'utf8')).folders[0];
    expect(folder.messagesFetched).toBe(TOTAL - after.cached); // only what the killed run had not committed
    expect(readFileSync(out, 'utf8')).toBe(await fullScan());
  });

  it('kills at arbitrary moments while messages come and go never corrupt anything', async () => {
    const out = path.join(dir, 'feed.ics');
    let kills = 0;
    for (const afterMs of [0, 40, 120, 250, 500]) {
      // The folder changes between runs: new invitations and updates arrive, old messages are expunged.
      for (let k = 0; k < 7; k++) server.addMessage('Big', mail(next++));
      server.removeMessageFile('Big', 5);
      server.removeMessageFile('Big', 11);
      const before = readFileSync(out, 'utf8');
      const r = await runAndKill(out, { afterMs });
      const now = readFileSync(out, 'utf8');
      // Either the run was killed and the old file is untouched, or it finished and wrote a complete feed.
      if (r.killed) kills += 1;
      // Killed before the atomic rename: the old file, untouched. Finished (or killed after the
      // rename): the complete new feed. Never anything in between.
      if (now !== before || !r.killed) expect(now).toBe(await fullScan());
      expect(cacheState().integrity).toBe('ok');
    }
    expect(kills).toBeGreaterThan(0); // the loop really did kill runs, not just watch them finish
    await run(process.execPath, [BIN, ...args(out)], { env: env() });
    expect(readFileSync(out, 'utf8')).toBe(await fullScan());
  });
});

// Two real CLI processes with different server filters over one folder and one --cache-dir, round
// after round while mail comes and goes: started together, or one run entirely inside the other's
// scan (the fault proxy stalls the outer one's connection mid-scan). Every output equals a fresh
// --no-cache scan with the same settings, and the cache passes SQLite's integrity check.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { CLI_BIN } from '../helpers/run-cli.ts';

/** Three batches of 500, so one process can be stopped with part of a scan stored. */
const TOTAL = 1200;
/** The two profiles: everything, and only the team's mail (one message in ten). */
const SETTINGS = { all: [] as string[], team: ['--allow-sender', 'team.example.com'] };
type Name = keyof typeof SETTINGS;

let server: DovecotServer;
let proxy: FaultProxy;
let dir: string;
let n = 0;
let files = 0;
let outputs = 0;

function add(count: number): void {
  for (let i = 0; i < count; i++) {
    n += 1;
    const from = n % 10 === 0 ? 'Lead <lead@team.example.com>' : `Someone <u${n}@elsewhere.example.org>`;
    const ics = vcal('REQUEST', vevent({ uid: `cli-shared-${n}@example.com`, summary: `Event ${n}` }));
    server.addMessage('Shared', buildMail({ subject: `Invitation ${n}`, from, calendars: [{ method: 'REQUEST', ics }] }));
  }
  files += count;
}

/** Removes `count` messages spread over the folder (highest index first: lower ones stay put). */
function remove(count: number): void {
  for (let k = count - 1; k >= 0; k--) server.removeMessageFile('Shared', Math.floor((k * files) / count));
  files -= count;
}

interface Run {
  out: string;
  done: Promise<{ code: number | null; stderr: string }>;
}

/** Starts one CLI run; `onLine` sees each stderr line (progress with -v) as it comes. */
function cli(name: Name, mode: 'cache' | 'fresh', extra: string[] = [], onLine?: (line: string) => void): Run {
  const out = path.join(dir, `${name}-${mode}-${++outputs}.ics`);
  const args = ['-v', '-o', out, ...(mode === 'cache' ? ['--cache-dir', path.join(dir, 'cache')] : ['--no-cache']), ...extra, ...SETTINGS[name],
    '--port', String(proxy.port), '--ca-file', server.pki.caFile, server.host, server.user, 'Shared'];
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', MAILBOX2ICS_PASSWORD: server.password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const l of lines) onLine?.(l);
  });
  return { out, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr }))) };
}

async function finished(run: Run): Promise<string> {
  const { code, stderr } = await run.done;
  expect(code, stderr).toBe(0);
  return readFileSync(run.out, 'utf8');
}

/**
 * `outer` is stalled (its connection held) at its first progress line in mid-scan ('mid': some
 * batches stored) or at its first one ('start': the plan made from the cached rows, nothing
 * fetched yet); `inner` runs from start to end meanwhile, then `outer` goes on. Without such a
 * line `inner` runs after `outer`.
 */
async function nested(outer: Name, inner: Name, at: 'mid' | 'start'): Promise<Record<Name, string>> {
  let held = 0;
  let innerRun: Run | undefined;
  const outerRun = cli(outer, 'cache', [], (line) => {
    const m = /^Shared: (\d+)\/(\d+) messages/.exec(line);
    if (held || !m) return;
    const done = Number(m[1]);
    if (at === 'mid' ? done === 0 || done >= Number(m[2]) : done !== 0) return;
    held = proxy.connections; // the outer's own: nothing else is connected now
    proxy.holdConnection(held, true);
    innerRun = cli(inner, 'cache');
    void innerRun.done.then(() => proxy.holdConnection(held, false));
  });
  try {
    const o = await finished(outerRun);
    const i = await finished((innerRun ??= cli(inner, 'cache')));
    return { [outer]: o, [inner]: i } as Record<Name, string>;
  } finally {
    if (held) proxy.holdConnection(held, false);
  }
}

async function together(): Promise<Record<Name, string>> {
  const [all, team] = [cli('all', 'cache'), cli('team', 'cache')];
  return { all: await finished(all), team: await finished(team) };
}

async function expectFresh(got: Record<Name, string>): Promise<void> {
  const [all, team] = [cli('all', 'fresh'), cli('team', 'fresh')];
  const want = { all: await finished(all), team: await finished(team) };
  const events = (ics: string) => ics.split('BEGIN:VEVENT').length - 1;
  expect({ all: events(got.all), team: events(got.team) }).toEqual({ all: events(want.all), team: events(want.team) });
  expect(got.all).toBe(want.all);
  expect(got.team).toBe(want.team);
  const db = new Database(path.join(dir, 'cache', 'cache.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startDovecot();
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
  dir = mkdtempSync(path.join(tmpdir(), 'cli-shared-'));
  server.createFolder('Shared');
  add(TOTAL);
});
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

describe('two CLI processes, different filters, one folder, one cache', () => {
  it('round after round, nested or side by side, each writes exactly what a fresh scan with its settings writes', async () => {
    // Both start from scratch; the team run happens entirely inside the first batches of the other.
    // Before: the outer run committed its scan over the inner one's rows, hundreds of events short.
    await expectFresh(await nested('all', 'team', 'mid'));
    add(30);
    remove(5);
    await expectFresh(await together());
    add(600); // more than a batch: the incremental run can be stopped half-way too
    await expectFresh(await nested('all', 'team', 'mid'));
    add(10);
    remove(10);
    // The team run has made its plan from the cached rows when the other syncs the whole change.
    await expectFresh(await nested('team', 'all', 'start'));
    // The same settings twice, one of them starting the folder over (--full), side by side.
    add(5);
    const [a, b] = [cli('all', 'cache'), cli('all', 'cache', ['--full'])];
    const [ra, rb] = [await finished(a), await finished(b)];
    const want = await finished(cli('all', 'fresh'));
    expect(ra).toBe(want);
    expect(rb).toBe(want);
  }, 300_000);
});

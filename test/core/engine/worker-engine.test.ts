// Scans and merges run in a worker thread: the same results as in this thread, errors with their
// codes, progress, cancel; a stuck or crashed worker is replaced and the main thread keeps answering.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { InProcessEngine } from '../../../electron/core/engine/engine.ts';
import { WorkerEngine } from '../../../electron/core/engine/worker-engine.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { emptyConfig, type Config } from '../../../electron/shared/config-schema.ts';
import type { SyncJob } from '../../../electron/core/engine/engine-jobs.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const scripted = pathToFileURL(path.join(ROOT, 'test/helpers/scripted-engine-worker.mjs'));
let server: DovecotServer;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Team');
  for (let i = 1; i <= 5; i++) {
    server.addMessage('Team', buildMail({ subject: `Invitation ${i}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `w${i}@corp.example`, summary: `Meeting ${i}`, extra: i === 1 ? ['RRULE:FREQ=WEEKLY;COUNT=5'] : [] })) }] }));
  }
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
  dir = mkdtempSync(path.join(tmpdir(), 'worker-engine-'));
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

function config(port = server.imapsPort, folders = ['Team']): Config {
  const c = emptyConfig();
  c.accounts.local = { host: '127.0.0.1', port, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 };
  c.profiles.team = { account: 'local', folders, output: path.join(dir, 'team.ics'), filters: {}, cancelled: 'remove', include: [], schedule: { enabled: true, intervalMinutes: 10, notifyChanges: false } };
  return c;
}
const job = (c: Config): SyncJob => ({ config: c, configFile: path.join(dir, 'config.json'), profile: 'team', password: server.password });

describe('WorkerEngine', () => {
  it('gives exactly what the same job gives in this thread, with progress, change detection and occurrences', async () => {
    const engine = new WorkerEngine({ cacheFile: path.join(dir, 'worker-cache.sqlite') });
    const cache = new SyncCache(path.join(dir, 'local-cache.sqlite'));
    const local = new InProcessEngine({ cache });
    try {
      const progress: number[] = [];
      const viaWorker = await engine.sync(job(config()), { onProgress: (p) => progress.push(p.done) });
      const here = await local.sync(job(config()));
      expect(viaWorker.ics).toBe(here.ics);
      expect(viaWorker.ics.match(/^BEGIN:VEVENT/gm)).toHaveLength(5);
      expect(progress.length).toBeGreaterThan(0);
      const p1 = await engine.preview({ scope: 'profile:team', result: viaWorker, commit: true });
      expect(p1.events.map((e) => e.change)).toEqual(Array(5).fill('new'));
      expect(p1.firstSync).toBe(true); // no snapshot yet: the window shows no badges
      expect(p1.events[0].attendees).toBeDefined(); // the detail fields cross the worker boundary
      const p2 = await engine.preview({ scope: 'profile:team', result: viaWorker, commit: true });
      expect(p2.events.map((e) => e.change)).toEqual(Array(5).fill('unchanged'));
      expect(p2.firstSync).toBe(false);
      const from = new Date('2026-01-01T00:00:00Z');
      const to = new Date('2026-12-31T00:00:00Z');
      expect(await engine.occurrences(viaWorker.ics, from, to)).toEqual(await local.occurrences(viaWorker.ics, from, to));
      expect(engine.generation).toBe(1);
    } finally {
      await engine.close();
      cache.close();
    }
  });

  it('errors keep their code and message across the thread', async () => {
    const engine = new WorkerEngine();
    try {
      const err = await engine.sync(job(config(server.imapsPort, ['Nope']))).catch((e) => e);
      expect(err.code).toBe('FOLDER_NOT_FOUND');
      expect(err.message).toContain('Nope');
    } finally {
      await engine.close();
    }
  });

  it('a cancelled sync stops and the worker stays usable', async () => {
    const engine = new WorkerEngine({ cacheFile: path.join(dir, 'cancel-cache.sqlite') });
    try {
      proxy.hold(true);
      const abort = new AbortController();
      const connectionsBefore = proxy.connections;
      const pending = engine.sync(job(config(proxy.port)), { signal: abort.signal });
      while (proxy.connections === connectionsBefore) await new Promise((r) => setTimeout(r, 20));
      abort.abort();
      const err = await pending.catch((e) => e);
      expect(err.code).toBe('CANCELLED');
      proxy.hold(false);
      const again = await engine.sync(job(config()));
      expect(again.ics).toContain('UID:w1@corp.example');
      expect(engine.generation).toBe(1);
    } finally {
      proxy.hold(false);
      await engine.close();
    }
  });

  it('a stuck computation does not block this thread; cancelling it replaces the worker', async () => {
    const engine = new WorkerEngine({ workerUrl: scripted, cancelGraceMs: 300 });
    const web = http.createServer((_q, r) => r.end('answered'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const stuck = engine.occurrences('spin', new Date(0), new Date(1)).catch((e) => e);
      // The worker spins; this thread still serves HTTP (as the feed and the window must).
      const res = await fetch(`http://127.0.0.1:${(web.address() as AddressInfo).port}/`);
      expect(await res.text()).toBe('answered');
      // A cancelled job queued behind the stuck one cannot be stopped by the worker: after the grace
      // period the worker is replaced, both jobs fail plainly, and the next job gets a fresh worker.
      const abort = new AbortController();
      const queued = engine.sync({ ics: 'queued' } as unknown as SyncJob, { signal: abort.signal }).catch((e) => e);
      abort.abort();
      expect((await queued).code).toBe('CANCELLED');
      const stuckErr = await stuck;
      expect(stuckErr.code).toBe('INTERNAL');
      expect(stuckErr.message).toMatch(/a cancelled job did not stop within/);
      expect(await engine.occurrences('hello', new Date(0), new Date(1))).toEqual({ echoed: 'hello', thread: 'worker' });
      expect(engine.generation).toBe(2);
    } finally {
      web.close();
      await engine.close();
    }
  });

  it('a worker that dies fails its job plainly, and the next job gets a new worker', async () => {
    const engine = new WorkerEngine({ workerUrl: scripted });
    try {
      const err = await engine.occurrences('exit', new Date(0), new Date(1)).catch((e) => e);
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toContain('the sync engine stopped (exit code 3)');
      expect(await engine.occurrences('again', new Date(0), new Date(1))).toEqual({ echoed: 'again', thread: 'worker' });
      expect(engine.generation).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it("the built app's bundled worker (dist-electron/engine-worker.mjs) loads and works", async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'electron/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    const engine = new WorkerEngine({ workerUrl: pathToFileURL(path.join(ROOT, 'dist-electron/engine-worker.mjs')) });
    try {
      const r = await engine.sync(job(config()));
      expect(r.ics.match(/^BEGIN:VEVENT/gm)).toHaveLength(5);
    } finally {
      await engine.close();
    }
  });
});

// npm run bench (part 2): does the main thread answer while a big sync runs? Seeds a private Dovecot
// with N messages, starts the profile service with its feed, and during a first full sync fetches
// the feed every 10 ms, measuring each answer's latency: once with the sync in the main thread
// (InProcessEngine, as before), once in the worker (WorkerEngine, as the app and serve run it).
// Target: every feed answer within 100 ms while the sync runs. Also a soak variant (SOAK_CYCLES).
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { InProcessEngine, type Engine } from '../../electron/core/engine/engine.ts';
import { WorkerEngine } from '../../electron/core/engine/worker-engine.ts';
import { SyncCache } from '../../electron/core/store/cache.ts';
import { startProfileService } from '../../electron/core/sync/profile-service.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' } } });
const N = Number(values.messages);
const TARGET_MS = 100;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

function seed(server: DovecotServer): void {
  server.createFolder('Bench');
  const items = [];
  for (let i = 0; i < N; i++) {
    const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
    items.push({
      raw: i % 5 === 0
        ? buildMail({ subject: `Invitation ${i}`, date, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `ev-${i}@example.com`, summary: `Meeting ${i}`, extra: i % 50 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=52'] : [] })) }] })
        : buildMail({ subject: `Message ${i}`, date, text: `Body ${i}` }),
      date,
    });
  }
  server.addMessages('Bench', items);
}

async function measure(server: DovecotServer, label: string, makeEngine: (cacheFile: string) => { engine: Engine; done: () => Promise<void> }): Promise<{ label: string; syncMs: number; samples: number; p50: number; p99: number; max: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'resp-bench-'));
  const port = await freePort();
  const configFile = path.join(dir, 'config.json');
  writeFileSync(path.join(dir, 'bench.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
  writeFileSync(configFile, JSON.stringify({
    version: 1,
    accounts: { local: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 } },
    profiles: { bench: { account: 'local', folders: ['Bench'], output: 'bench.ics', schedule: { enabled: false, intervalMinutes: 60 } } },
    feed: { enabled: true, port, tokens: { bench: 'benchtoken0000000000000000' } },
  }));
  const { engine, done } = makeEngine(path.join(dir, 'cache.sqlite'));
  const svc = await startProfileService({ configFile, engine, openSecrets: async () => ({ get: async () => null, set: async () => {}, delete: async () => false }), env: { MAILBOX2ICS_PASSWORD: server.password }, log: () => {} });
  const url = svc.urls.bench.http;
  const latencies: number[] = [];
  let running = true;
  const pinger = (async () => {
    while (running) {
      const t = performance.now();
      const r = await fetch(url);
      await r.arrayBuffer();
      latencies.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  const t0 = performance.now();
  const outcome = await svc.scheduler.runNow('bench');
  const syncMs = performance.now() - t0;
  running = false;
  await pinger;
  await svc.stop();
  await done();
  if (!outcome.ok) throw new Error(`${label}: sync failed: ${outcome.error}`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { label, syncMs, samples: sorted.length, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

const server = await startDovecot();
try {
  process.stdout.write(`responsiveness: seeding ${N} messages…\n`);
  seed(server);
  const rows = [
    await measure(server, 'sync in the main thread (before)', (file) => {
      const cache = new SyncCache(file);
      return { engine: new InProcessEngine({ cache }), done: async () => cache.close() };
    }),
    await measure(server, 'sync in the worker (app, serve)', (file) => {
      const engine = new WorkerEngine({ cacheFile: file });
      return { engine, done: () => engine.close() };
    }),
  ];
  process.stdout.write(`\nFeed latency while a full sync of ${N} messages runs (target: max ≤ ${TARGET_MS} ms)\n`);
  for (const r of rows) {
    const ok = r.max <= TARGET_MS ? 'OK' : 'OVER';
    process.stdout.write(`${r.label.padEnd(34)} sync ${(r.syncMs / 1000).toFixed(2)} s  ${String(r.samples).padStart(5)} requests  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  ${ok}\n`);
  }
} finally {
  await server.stop();
}

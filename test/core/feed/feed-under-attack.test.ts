// The feed under slowloris and idle-socket attacks from the subscriber's own address (127.0.0.1): every
// legitimate GET (Node fetch and curl, one after another and all at once) is answered while the attack runs.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../../electron/core/feed/feed-limits.ts';
import { newFeedToken, startFeedServer, type FeedProfile, type RunningFeed } from '../../../electron/core/feed/feed-server.ts';
import { startAttack, type Attack } from '../../helpers/slowloris.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'feed-attack-'));
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mailbox2ics//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260110T100000Z\r\nSUMMARY:Under attack\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
const team: FeedProfile = { name: 'team', token: newFeedToken(), file: path.join(dir, 'team.ics') };
writeFileSync(team.file, ICS);

// Short timeouts so the test takes seconds, not minutes (the grace for new sockets shrunk with them, well
// under the headers deadline as in the defaults); the connection caps stay the real defaults.
const TEST_LIMITS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 1_000, freshGraceMs: 250 };
// The attack runs this long whatever happens; every legitimate request must be answered before it stops.
const ATTACK_MS = 20_000;
// Each legitimate request gets several headers timeouts: generous on a busy machine, hopeless for a locked-out feed.
const LEGIT_DEADLINE_MS = 8 * TEST_LIMITS.headersTimeoutMs;
// No attacking socket may stay open longer than this (the old feed kept them for ~30 s).
const SLOW_CLOSE_BOUND_MS = 10 * TEST_LIMITS.headersTimeoutMs;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
};

type Outcome = { via: string; status: number; bodyOk: boolean } | { via: string; error: string };
const OK = (via: string) => ({ via, status: 200, bodyOk: true });

async function viaFetch(url: string): Promise<Outcome> {
  try {
    // `Connection: close` makes Node's fetch open a fresh connection for every request.
    const r = await fetch(url, { headers: { Connection: 'close' }, signal: AbortSignal.timeout(LEGIT_DEADLINE_MS) });
    return { via: 'fetch', status: r.status, bodyOk: (await r.text()) === ICS };
  } catch (err) {
    return { via: 'fetch', error: `${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}` };
  }
}

async function viaCurl(url: string): Promise<Outcome> {
  try {
    const { stdout } = await promisify(execFile)('curl', ['-s', '-S', '--max-time', String(LEGIT_DEADLINE_MS / 1000), '-w', '\n%{http_code}', url]);
    const cut = stdout.lastIndexOf('\n');
    return { via: 'curl', status: Number(stdout.slice(cut + 1)), bodyOk: stdout.slice(0, cut) === ICS };
  } catch (err) {
    return { via: 'curl', error: (err as Error).message };
  }
}

/** 40 GETs: 10 fetch then 10 curl one after another, then 10 of each all at once. */
async function legitimateTraffic(url: string): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < 10; i++) out.push(await viaFetch(url));
  for (let i = 0; i < 10; i++) out.push(await viaCurl(url));
  out.push(...(await Promise.all([...Array.from({ length: 10 }, () => viaFetch(url)), ...Array.from({ length: 10 }, () => viaCurl(url))])));
  return out;
}

const running: Array<RunningFeed | Attack> = [];
afterAll(async () => {
  for (const r of running.reverse()) await ('close' in r ? r.close() : r.stop());
});

async function underAttack(slow: number, idle: number, alongside?: () => Promise<void>) {
  const feed = await startFeedServer({ profiles: () => [team], limits: TEST_LIMITS });
  running.push(feed);
  const attackEnds = Date.now() + ATTACK_MS;
  const attack = startAttack({ port: feed.port, slow, idle });
  running.push(attack);
  // Let the attack take every slot (and the first slow sockets reach their headers deadline) first.
  await sleep(2 * TEST_LIMITS.headersTimeoutMs);
  const outcomes = await legitimateTraffic(feed.url(team));
  const answeredAt = Date.now();
  expect(outcomes).toEqual([...Array(20)].map((_, i) => OK(i < 10 ? 'fetch' : 'curl')).concat([...Array(20)].map((_, i) => OK(i < 10 ? 'fetch' : 'curl'))));
  expect(answeredAt, 'every legitimate request was answered while the attack was still running').toBeLessThan(attackEnds);
  await alongside?.();
  await sleep(Math.max(0, attackEnds - Date.now()));
  const stats = await attack.stop();
  // The attack kept going: the server closed its sockets and it opened new ones all along.
  expect(stats.opened).toBeGreaterThan(slow + idle);
  expect(stats.closedAfterMs.length).toBeGreaterThan(0);
  // ...and the server closed every one of them within the bound, none left lingering at the end.
  expect(Math.max(...stats.closedAfterMs)).toBeLessThanOrEqual(SLOW_CLOSE_BOUND_MS);
  expect(Math.max(0, ...stats.openAgesMs())).toBeLessThanOrEqual(SLOW_CLOSE_BOUND_MS);
}

describe('the feed under a slowloris attack from its own address', () => {
  it('answers 40 legitimate GETs while 32 slowloris and 8 idle sockets attack; the defaults close slow sockets promptly too', async () => {
    // Beside it, a feed with the shipped defaults and one slow and one idle socket that are not reopened.
    const plain = await startFeedServer({ profiles: () => [team] });
    running.push(plain);
    const startedAt = Date.now();
    const lone = startAttack({ port: plain.port, slow: 1, idle: 1, reopen: false });
    running.push(lone);
    const defaultBound = 3 * FEED_LIMITS.headersTimeoutMs;
    await underAttack(32, 8, async () => {
      await until(() => lone.stats.closedAfterMs.length === 2, Math.max(0, startedAt + defaultBound - Date.now()), `the default feed to close both sockets within ${defaultBound} ms`);
    });
    expect(Math.max(...lone.stats.closedAfterMs)).toBeLessThanOrEqual(defaultBound);
  }, 90_000);

  it('answers 40 legitimate GETs while 200 slowloris and 50 idle sockets attack', async () => {
    await underAttack(200, 50);
  }, 90_000);
});

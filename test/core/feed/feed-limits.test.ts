// The feed's connection limits over real sockets: caps per address (127.0.0.x sources) and in all, shedding the
// longest-waiting socket and never one being answered, keep-alive limits, the header size bound, sane defaults.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addressKey } from '../../../electron/core/feed/connection-guard.ts';
import { FEED_LIMITS, resolveFeedLimits } from '../../../electron/core/feed/feed-limits.ts';
import { newFeedToken, startFeedServer, type FeedProfile, type RunningFeed } from '../../../electron/core/feed/feed-server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'feed-limits-'));
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mailbox2ics//EN\r\nEND:VCALENDAR\r\n';
const team: FeedProfile = { name: 'team', token: newFeedToken(), file: path.join(dir, 'team.ics') };
writeFileSync(team.file, ICS);
// No timeout may interfere where a test counts which sockets the caps closed.
// And no grace, so the longest-waiting socket is always the one shed.
const STRICT = { headersTimeoutMs: 120_000, requestTimeoutMs: 120_000, idleTimeoutMs: 120_000, keepAliveTimeoutMs: 120_000, freshGraceMs: 0 };
// Generous: the server must act within a few of its deadlines, never "exactly at".
const WITHIN_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, what: string) => {
  const end = Date.now() + WITHIN_MS;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${WITHIN_MS} ms waiting for ${what}`);
    await sleep(20);
  }
};

interface Raw {
  socket: net.Socket;
  text: () => string;
  closed: () => boolean;
}
/** A raw client socket from `from` (any 127.x.y.z); resolves once connected. */
function raw(port: number, from = '127.0.0.1', send?: string): Promise<Raw> {
  return new Promise((resolve) => {
    let text = '';
    let closed = false;
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from }, () => {
      if (send) socket.write(send);
      resolve({ socket, text: () => text, closed: () => closed });
    });
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => (closed = true));
  });
}
const GET = (p: FeedProfile, extra = '') => `GET /${p.token}/${p.name}.ics HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;

/** A whole GET from `from` on a fresh connection. */
function get(feed: RunningFeed, p: FeedProfile, from: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(feed.url(p), { localAddress: from, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function feedWith(limits: Parameters<typeof startFeedServer>[0]['limits'], profiles: FeedProfile[] = [team], log?: (line: string) => void) {
  const feed = await startFeedServer({ profiles: () => profiles, limits, log });
  cleanup.push(() => feed.close());
  return feed;
}
const track = (r: Raw) => {
  cleanup.push(() => r.socket.destroy());
  return r;
};

describe('feed connection limits', () => {
  it('caps each address, sheds its longest-waiting socket, and leaves other addresses alone', async () => {
    // The total cap is out of reach here, so only the per-address one acts.
    const logged: string[] = [];
    const feed = await feedWith({ ...STRICT, maxConnections: 32, maxConnectionsPerAddress: 3 }, [team], (l) => logged.push(l));
    const b = [track(await raw(feed.port, '127.0.0.3')), track(await raw(feed.port, '127.0.0.3'))];
    const a: Raw[] = [];
    for (let i = 0; i < 5; i++) a.push(track(await raw(feed.port, '127.0.0.2', i % 2 ? 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a' : undefined)));
    await until(() => a[0].closed() && a[1].closed(), 'the two oldest sockets of 127.0.0.2 to be closed');
    // A subscriber on a third address is served; that closes nothing more.
    expect(await get(feed, team, '127.0.0.4')).toEqual({ status: 200, body: ICS });
    expect([...a, ...b].map((r) => r.closed())).toEqual([true, true, false, false, false, false, false]);
    // A subscriber on the attacker's own address is served too: the oldest of its waiting sockets makes room.
    expect(await get(feed, team, '127.0.0.2')).toEqual({ status: 200, body: ICS });
    await until(() => a[2].closed(), 'the next-oldest socket of 127.0.0.2 to be closed');
    expect([...a, ...b].map((r) => r.closed())).toEqual([true, true, true, false, false, false, false]);
    // Three sockets closed, in three passes: said once.
    expect(logged).toEqual([expect.stringMatching(/^feed: closed \d+ waiting connection\(s\) over the limits \(3 per address, 32 in all\)/)]);
  });

  it('caps all connections together, shedding the longest-waiting socket of any address', async () => {
    const feed = await feedWith({ ...STRICT, maxConnections: 4, maxConnectionsPerAddress: 3 });
    const socks: Raw[] = [];
    for (const from of ['127.0.0.5', '127.0.0.6', '127.0.0.6', '127.0.0.7']) socks.push(track(await raw(feed.port, from)));
    socks.push(track(await raw(feed.port, '127.0.0.8')));
    await until(() => socks[0].closed(), 'the oldest socket (from 127.0.0.5) to be closed');
    socks.push(track(await raw(feed.port, '127.0.0.9', 'GET / HTTP/1.1\r\n')));
    await until(() => socks[1].closed(), 'the next-oldest socket to be closed');
    expect(socks.map((r) => r.closed())).toEqual([true, true, false, false, false, false]);
    // And a newcomer with a whole request is served, at the expense of the next-oldest.
    expect(await get(feed, team, '127.0.0.10')).toEqual({ status: 200, body: ICS });
    await until(() => socks[2].closed(), 'the third-oldest socket to be closed');
  });

  it('spares just-connected sockets while longer-waiting ones are shed, up to twice the cap', async () => {
    const GRACE = 5_000;
    const feed = await feedWith({ ...STRICT, freshGraceMs: GRACE, maxConnections: 32, maxConnectionsPerAddress: 4 });
    const stale: Raw[] = [];
    for (let i = 0; i < 4; i++) stale.push(track(await raw(feed.port, '127.0.0.1', 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a')));
    await sleep(GRACE + 500);
    // A client that has connected but not yet sent its request, then a burst of the attacker's reconnections.
    const newcomer = track(await raw(feed.port));
    const burst: Raw[] = [];
    for (let i = 0; i < 4; i++) burst.push(track(await raw(feed.port)));
    await until(() => stale.every((r) => r.closed()), 'the four stale sockets to be closed');
    // Five fresh sockets, over the cap of four but under the ceiling of eight: all kept, so the newcomer is served.
    expect([newcomer, ...burst].map((r) => r.closed())).toEqual([false, false, false, false, false]);
    newcomer.socket.write(GET(team, 'Connection: close\r\n'));
    await until(() => newcomer.closed(), 'the answer');
    expect(newcomer.text()).toMatch(/^HTTP\/1\.1 200 OK/);
    // Past the ceiling, fresh sockets go too, the longest-waiting first.
    for (let i = 0; i < 5; i++) burst.push(track(await raw(feed.port)));
    await until(() => burst[0].closed(), 'the oldest fresh socket to be closed once nine are open');
    expect(burst.map((r) => r.closed())).toEqual([true, false, false, false, false, false, false, false, false]);
  });

  it('never sheds a socket while its answer is being made, even the oldest', async () => {
    // A profile whose file is a FIFO: reading it waits until the test writes, so that request stays in flight.
    const fifo: FeedProfile = { name: 'slow', token: newFeedToken(), file: path.join(dir, 'slow.ics') };
    execFileSync('mkfifo', [fifo.file]);
    // Whatever happens, give a reader still stuck opening the FIFO a writer and an end, or the process hangs.
    cleanup.push(() => closeSync(openSync(fifo.file, constants.O_RDWR | constants.O_NONBLOCK)));
    const feed = await feedWith({ ...STRICT, maxConnections: 2, maxConnectionsPerAddress: 2 }, [team, fifo]);
    const busy = track(await raw(feed.port, '127.0.0.1', GET(fifo, 'Connection: close\r\n')));
    // Opening the FIFO for writing without blocking succeeds only once the server has it open for reading.
    let writer = -1;
    await until(() => {
      try {
        writer = openSync(fifo.file, constants.O_WRONLY | constants.O_NONBLOCK);
        return true;
      } catch {
        return false;
      }
    }, 'the server to start reading the profile');
    const waiting = track(await raw(feed.port));
    expect(await get(feed, team, '127.0.0.1')).toEqual({ status: 200, body: ICS });
    await until(() => waiting.closed(), 'the waiting socket to be closed');
    expect(busy.closed()).toBe(false);
    writeSync(writer, ICS);
    closeSync(writer);
    await until(() => busy.closed(), 'the slow answer to complete');
    expect(busy.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(busy.text().endsWith(ICS)).toBe(true);
  });

  it('ends a connection after maxRequestsPerSocket answers, and closes a silent kept-alive socket', async () => {
    // Keep-alive and socket timeouts out of reach: only the request count may end this connection.
    const counted = await feedWith({ ...STRICT, maxRequestsPerSocket: 3 });
    const c = track(await raw(counted.port, '127.0.0.1', GET(team) + GET(team) + GET(team)));
    await until(() => c.closed(), 'the server to close after the third answer');
    const answers = c.text().split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((t) => t.slice(0, 15))).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect(answers.map((t) => /\r\nConnection: (\S+)\r\n/i.exec(t)?.[1])).toEqual(['keep-alive', 'keep-alive', 'close']);
    // One answer, then silence: the kept-alive socket is closed.
    const parked = await feedWith({ keepAliveTimeoutMs: 500 });
    const idle = track(await raw(parked.port, '127.0.0.1', GET(team)));
    await until(() => idle.closed(), 'the server to close the silent kept-alive socket');
    expect(idle.text()).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('applies the headers deadline to a later request on a kept-alive socket', async () => {
    const feed = await feedWith({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 5_000, freshGraceMs: 250 });
    const c = track(await raw(feed.port, '127.0.0.1', GET(team)));
    await until(() => c.text().includes('END:VCALENDAR'), 'the first answer');
    // The next request starts at once and then dribbles, one byte every 200 ms — each resets no deadline.
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const ticker = setInterval(() => c.socket.write('a'), 200);
    cleanup.push(() => clearInterval(ticker));
    await until(() => c.closed(), 'the server to close the dribbling socket');
    expect(c.text()).toContain('HTTP/1.1 408 Request Timeout');
  });

  it('answers 431 to oversized request headers', async () => {
    const feed = await feedWith({});
    const big = track(await raw(feed.port, '127.0.0.1', GET(team, `X-Big: ${'a'.repeat(FEED_LIMITS.maxHeaderBytes)}\r\n`)));
    await until(() => big.closed(), 'the server to refuse the oversized headers');
    expect(big.text()).toMatch(/^HTTP\/1\.1 431 /);
    // A request just under the bound is served.
    const ok = track(await raw(feed.port, '127.0.0.1', GET(team, `X-Pad: ${'a'.repeat(FEED_LIMITS.maxHeaderBytes - 200)}\r\nConnection: close\r\n`)));
    await until(() => ok.closed(), 'the answer');
    expect(ok.text()).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('ships sane defaults and refuses limits that cannot work', () => {
    // Prompt: a slow socket is closed within seconds, not Node's 30-second check.
    expect(FEED_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(FEED_LIMITS.checkEveryMs).toBeLessThanOrEqual(1_000);
    expect(FEED_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(FEED_LIMITS.requestTimeoutMs);
    expect(FEED_LIMITS.freshGraceMs).toBeGreaterThan(0);
    expect(FEED_LIMITS.freshGraceMs * 2).toBeLessThanOrEqual(FEED_LIMITS.headersTimeoutMs);
    expect(FEED_LIMITS.keepAliveTimeoutMs).toBeLessThanOrEqual(10_000);
    // Bounded, and room for more than one subscriber and more than one client per machine.
    expect(FEED_LIMITS.maxConnectionsPerAddress).toBeGreaterThanOrEqual(4);
    expect(FEED_LIMITS.maxConnectionsPerAddress).toBeLessThanOrEqual(FEED_LIMITS.maxConnections);
    expect(FEED_LIMITS.maxConnections).toBeLessThanOrEqual(1_024);
    expect(FEED_LIMITS.maxRequestsPerSocket).toBeLessThanOrEqual(1_000);
    expect(FEED_LIMITS.maxHeaderBytes).toBeLessThanOrEqual(16 * 1024);
    expect(resolveFeedLimits()).toEqual(FEED_LIMITS);
    expect(() => resolveFeedLimits({ maxConnectionsPerAddress: 65 })).toThrow(/exceeds maxConnections/);
    expect(() => resolveFeedLimits({ headersTimeoutMs: 20_000 })).toThrow(/exceeds requestTimeoutMs/);
    expect(() => resolveFeedLimits({ freshGraceMs: 5_000 })).toThrow(/shorter than headersTimeoutMs/);
    expect(resolveFeedLimits({ freshGraceMs: 0 }).freshGraceMs).toBe(0);
    expect(() => resolveFeedLimits({ maxConnections: 0 })).toThrow(/whole number of at least 1/);
    expect(() => resolveFeedLimits({ checkEveryMs: Number.NaN })).toThrow(/whole number of at least 1/);
    // An IPv4 client over a dual-stack socket is the same client as over IPv4.
    expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
    expect(addressKey('fe80::1')).toBe('fe80::1');
  });
});

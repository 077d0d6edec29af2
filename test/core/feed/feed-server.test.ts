// The local feed over real HTTP, with real clients (Node's fetch and curl): content type, ETag and
// Last-Modified with 304, HEAD, 401/404, nothing but the profiles' files, Basic auth on the LAN.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeedToken, startFeedServer, webcalUrl, type FeedProfile, type RunningFeed } from '../../../electron/core/feed/feed-server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'feed-'));
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mailbox2ics//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260110T100000Z\r\nSUMMARY:Café\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
const team: FeedProfile = { name: 'team', token: newFeedToken(), file: path.join(dir, 'team.ics') };
const missing: FeedProfile = { name: 'later', token: newFeedToken(), file: path.join(dir, 'later.ics') };
let feed: RunningFeed;
const curl = (args: string[]) => promisify(execFile)('curl', ['-s', '-S', '-i', ...args]).then((r) => r.stdout);

beforeAll(async () => {
  writeFileSync(team.file, ICS);
  writeFileSync(path.join(dir, 'secret.txt'), 'not for the feed');
  feed = await startFeedServer({ profiles: () => [team, missing] });
});
afterAll(async () => {
  await feed?.close();
});

describe('feed server', () => {
  it('serves the profile with the right type, validators and a webcal link', async () => {
    expect(feed.host).toBe('127.0.0.1');
    const url = feed.url(team);
    expect(webcalUrl(url)).toMatch(/^webcal:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{24}\/team\.ics$/);
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(await r.text()).toBe(ICS);
    const etag = r.headers.get('etag')!;
    const lastModified = r.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(ICS)));
    expect(await head.text()).toBe('');
    // A new feed gets a new ETag.
    writeFileSync(team.file, ICS.replace('Café', 'Café 2'));
    utimesSync(team.file, new Date(), new Date(Date.now() + 5_000));
    const changed = await fetch(url, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('serves nothing else: wrong token, listing, traversal, other methods', async () => {
    const base = `http://127.0.0.1:${feed.port}`;
    for (const p of ['/', `/${team.token}/`, `/${newFeedToken()}/team.ics`, `/${team.token}/../secret.txt`, `/${team.token}/%2e%2e%2fsecret.txt`, `/${team.token}/secret.ics`, `/${team.token.slice(0, -1)}/team.ics`, `/${team.token}A/team.ics`, `/${team.token.slice(1)}${team.token[0] === 'A' ? 'B' : 'A'}/team.ics`]) {
      const r = await fetch(base + p);
      expect(r.status, p).toBe(404);
      expect(await r.text()).not.toContain('not for the feed');
    }
    expect((await fetch(feed.url(missing))).status).toBe(404);
    const post = await fetch(feed.url(team), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('works for curl, a conditional request included', async () => {
    const first = await curl([feed.url(team)]);
    expect(first).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(first).toContain('Content-Type: text/calendar; charset=utf-8');
    const etag = /ETag: (".*")/i.exec(first)![1];
    const again = await curl(['-H', `If-None-Match: ${etag}`, feed.url(team)]);
    expect(again).toMatch(/^HTTP\/1\.1 304 Not Modified/);
  });

  it('keeps an HTTP/1.0 keep-alive client\'s connection across a 304 and a 404, and closes one that did not ask', async () => {
    const net = await import('node:net');
    const etag = (await fetch(feed.url(team))).headers.get('etag')!;
    const pathOf = new URL(feed.url(team)).pathname;
    // Sends each request once the previous answer is complete; resolves with the answers and whether the server closed.
    const exchange = (requests: string[]) =>
      new Promise<{ answers: string[]; closedBy: 'server' | 'client' }>((resolve, reject) => {
        const answers: string[] = [];
        let text = '';
        const s = net.connect(feed.port, '127.0.0.1');
        s.on('error', reject);
        s.on('close', () => resolve({ answers, closedBy: answers.length < requests.length ? 'server' : 'client' }));
        s.on('connect', () => s.write(requests[0]));
        s.on('data', (d) => {
          text += d.toString('latin1'); // one character per byte: Content-Length counts bytes
          // Every answer here is bodiless or has a Content-Length: one complete answer per request.
          for (;;) {
            const end = text.indexOf('\r\n\r\n');
            if (end < 0) return;
            const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
            const status = Number(text.slice(9, 12));
            const total = end + 4 + (status === 304 ? 0 : length);
            if (text.length < total) return;
            answers.push(text.slice(0, total));
            text = text.slice(total);
            if (answers.length === requests.length) s.end();
            else s.write(requests[answers.length]);
          }
        });
      });
    const ka = `Host: x\r\nConnection: keep-alive\r\n`;
    const kept = await exchange([
      `GET ${pathOf} HTTP/1.0\r\n${ka}If-None-Match: ${etag}\r\n\r\n`,
      `GET /nothing-here HTTP/1.0\r\n${ka}\r\n`,
      `GET ${pathOf} HTTP/1.0\r\n${ka}\r\n`,
    ]);
    expect(kept.answers.map((a) => a.slice(0, 12))).toEqual(['HTTP/1.1 304', 'HTTP/1.1 404', 'HTTP/1.1 200']);
    expect(kept.answers[0]).toMatch(/\r\nConnection: keep-alive\r\n/i);
    expect(kept.answers[0]).not.toMatch(/content-length/i);
    expect(kept.answers[2].endsWith(readFileSync(team.file, 'latin1'))).toBe(true);
    expect(kept.closedBy).toBe('client');
    const once = await exchange([`GET ${pathOf} HTTP/1.0\r\nHost: x\r\nIf-None-Match: ${etag}\r\n\r\n`, `GET ${pathOf} HTTP/1.0\r\nHost: x\r\n\r\n`]);
    expect(once.answers.map((a) => a.slice(0, 12))).toEqual(['HTTP/1.1 304']);
    expect(once.answers[0]).not.toMatch(/keep-alive/i);
    expect(once.closedBy).toBe('server');
  });

  it('refuses the LAN without a password, and requires Basic auth there', async () => {
    await expect(startFeedServer({ host: '0.0.0.0', profiles: () => [team] })).rejects.toThrow(/HTTP Basic authentication is required on the LAN/);
    const lan = await startFeedServer({ host: '0.0.0.0', basicAuth: { username: 'cal', password: 'pa:ss wörd' }, profiles: () => [team] });
    try {
      const url = `http://127.0.0.1:${lan.port}/${team.token}/team.ics`;
      const anon = await fetch(url);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toContain('Basic realm="mailbox2ics"');
      const bad = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from('cal:nope').toString('base64')}` } });
      expect(bad.status).toBe(401);
      const ok = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from('cal:pa:ss wörd').toString('base64')}` } });
      expect(ok.status).toBe(200);
      expect(await curl(['-u', 'cal:pa:ss wörd', url])).toMatch(/^HTTP\/1\.1 200 OK/);
    } finally {
      await lan.close();
    }
  });

  it('bounds concurrent connections by closing the longest-waiting one, not by refusing the newcomer', async () => {
    const small = await startFeedServer({ profiles: () => [team], limits: { maxConnections: 2, maxConnectionsPerAddress: 2, freshGraceMs: 0 } });
    try {
      const net = await import('node:net');
      const closed: number[] = [];
      const held = await Promise.all([0, 1].map((i) => new Promise<import('node:net').Socket>((resolve) => {
        const s = net.connect(small.port, '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
        s.on('data', () => {});
        s.on('close', () => closed.push(i));
      })));
      // A third connection with a whole request is answered while two are open and silent...
      const third = await new Promise<string>((resolve) => {
        let text = '';
        const s = net.connect(small.port, '127.0.0.1');
        s.on('data', (d) => (text += d.toString()));
        s.on('close', () => resolve(text));
        s.on('error', () => resolve(text));
        s.on('connect', () => s.write(`GET /${team.token}/team.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      });
      expect(third).toMatch(/^HTTP\/1\.1 200 OK/);
      // ...and one of the silent ones made room for it.
      for (const end = Date.now() + 10_000; closed.length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      expect(closed).toHaveLength(1);
      held.forEach((s) => s.destroy());
    } finally {
      await small.close();
    }
  });
});

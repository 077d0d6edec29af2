// The feed serves each file's revision from memory: repeated 200s and 304s read nothing from the disk,
// a rewrite (in place or by atomic rename, as the sync writes) is served at once through the folder
// watch, and without a watch by the metadata check; headers and bytes are the file's.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newFeedToken, startFeedServer, type FeedProfile } from '../../../electron/core/feed/feed-server.ts';
import { FeedRevisions, type RevisionFs } from '../../../electron/core/feed/feed-revisions.ts';
import { writeFileAtomic } from '../../../electron/core/store/atomic-write.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'feed-rev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ics = (summary: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260110T100000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/** The real file system, with every call counted. */
function countingFs(): RevisionFs & { reads: number; stats: number } {
  const c = {
    reads: 0,
    stats: 0,
    stat: async (f: string) => {
      c.stats++;
      return fs.stat(f, { bigint: true });
    },
    read: async (f: string) => {
      c.reads++;
      return { data: await fs.readFile(f), stat: await fs.stat(f, { bigint: true }) };
    },
  };
  return c;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('feed revisions', () => {
  it('reads a revision once: further 200s, HEADs and 304s do not touch the disk', async () => {
    const p: FeedProfile = { name: 'team', token: newFeedToken(), file: path.join(dir, 'team.ics') };
    writeFileSync(p.file, ics('One'));
    // Modified 0.4 ms before a whole second: Last-Modified is the second it was modified in. (Node's
    // Date of a stat rounds to the millisecond, so reading the expected value from it said the next
    // second for one file in ~2,000.)
    utimesSync(p.file, new Date(), 1_767_225_599.9996);
    const counted = countingFs();
    // A recheck far off: what is counted below cannot depend on how fast this machine is today.
    const feed = await startFeedServer({ profiles: () => [p], limits: { revisionRecheckMs: 3_600_000 }, revisions: { fs: counted } });
    try {
      const first = await fetch(feed.url(p));
      const body = await first.text();
      expect(body).toBe(ics('One'));
      const etag = first.headers.get('etag')!;
      // The same validators as before revisions were kept: the file's SHA-256 and its mtime in seconds.
      expect(etag).toBe(`"${createHash('sha256').update(ics('One')).digest('base64url').slice(0, 27)}"`);
      expect(first.headers.get('last-modified')).toBe('Wed, 31 Dec 2025 23:59:59 GMT');
      const reads = counted.reads;
      expect(reads).toBe(1);
      for (let i = 0; i < 20; i++) {
        expect((await fetch(feed.url(p), { headers: { 'If-None-Match': etag } })).status).toBe(304);
        expect(await (await fetch(feed.url(p))).text()).toBe(body);
        expect((await fetch(feed.url(p), { method: 'HEAD' })).headers.get('content-length')).toBe(String(body.length));
      }
      // Sixty requests: nothing read, nothing looked up.
      expect(counted.reads).toBe(1);
      expect(counted.stats).toBe(0);
    } finally {
      await feed.close();
    }
  });

  it('serves a rewrite at once, atomic or in place (the folder watch)', async () => {
    const p: FeedProfile = { name: 'ops', token: newFeedToken(), file: path.join(dir, 'ops.ics') };
    await writeFileAtomic(p.file, ics('Before'));
    const feed = await startFeedServer({ profiles: () => [p], limits: { revisionRecheckMs: 3_600_000 } });
    try {
      expect(await (await fetch(feed.url(p))).text()).toBe(ics('Before'));
      await writeFileAtomic(p.file, ics('After'));
      await until(async () => (await (await fetch(feed.url(p))).text()) === ics('After'));
      expect(await (await fetch(feed.url(p))).text()).toBe(ics('After'));
      writeFileSync(p.file, ics('In place'));
      await until(async () => (await (await fetch(feed.url(p))).text()) === ics('In place'));
      expect(await (await fetch(feed.url(p))).text()).toBe(ics('In place'));
    } finally {
      await feed.close();
    }
  });

  it('without a watch, the metadata check finds a new revision after recheckMs', async () => {
    const p: FeedProfile = { name: 'nowatch', token: newFeedToken(), file: path.join(dir, 'nowatch.ics') };
    await writeFileAtomic(p.file, ics('Old'));
    const counted = countingFs();
    const feed = await startFeedServer({ profiles: () => [p], limits: { revisionRecheckMs: 50 }, revisions: { fs: counted, watch: false } });
    try {
      const first = await fetch(feed.url(p));
      expect(await first.text()).toBe(ics('Old'));
      await writeFileAtomic(p.file, ics('New'));
      await until(async () => (await (await fetch(feed.url(p))).text()) === ics('New'));
      const r = await fetch(feed.url(p), { headers: { 'If-None-Match': first.headers.get('etag')! } });
      expect(r.status).toBe(200);
      expect(await r.text()).toBe(ics('New'));
      // Unchanged metadata is answered from memory: one more read per revision, not per request.
      expect(counted.reads).toBe(2);
    } finally {
      await feed.close();
    }
  });

  it('a file not written yet is a 404 until it is, then served', async () => {
    const p: FeedProfile = { name: 'later', token: newFeedToken(), file: path.join(dir, 'later.ics') };
    const feed = await startFeedServer({ profiles: () => [p] });
    try {
      expect((await fetch(feed.url(p))).status).toBe(404);
      await writeFileAtomic(p.file, ics('Now'));
      expect(await (await fetch(feed.url(p))).text()).toBe(ics('Now'));
    } finally {
      await feed.close();
    }
  });
  it('hands out a held revision without waiting only while it is known current', async () => {
    const file = path.join(dir, 'held.ics');
    writeFileSync(file, ics('Held'));
    let now = 1_000_000;
    const revs = new FeedRevisions(1_000, { watch: false, now: () => now });
    try {
      expect(revs.current(file)).toBeUndefined(); // never read
      const rev = await revs.get(file);
      expect(revs.current(file)).toBe(rev);
      now += 999;
      expect(revs.current(file)).toBe(rev);
      now += 1; // the recheck is due: the caller must go through get(), which looks at the disk
      expect(revs.current(file)).toBeUndefined();
      await writeFileAtomic(file, ics('Changed'));
      const next = await revs.get(file);
      expect(next.data.toString()).toBe(ics('Changed'));
      expect(revs.current(file)).toBe(next);
    } finally {
      revs.close();
    }
  });
});

// A cache the app or serve cannot open never keeps them from starting: a corrupt or newer file is
// moved aside (kept byte for byte) and a fresh cache is used; where no file can be made, one in memory.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { openCacheSafely } from '../../../electron/core/store/open-cache.ts';

const now = new Date('2026-12-01T10:00:00.000Z');
const fresh = () => mkdtempSync(path.join(tmpdir(), 'open-cache-'));

describe('openCacheSafely', () => {
  it('opens a good cache as it is', () => {
    const file = path.join(fresh(), 'cache.sqlite');
    new SyncCache(file).close();
    const r = openCacheSafely(file, { now });
    expect(r.notice).toBeUndefined();
    r.cache.close();
  });

  it('a cache written by a newer version is moved aside and a new one started', () => {
    const file = path.join(fresh(), 'cache.sqlite');
    new SyncCache(file).close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    expect(() => new SyncCache(file)).toThrow(/schema version 99/);
    const r = openCacheSafely(file, { now });
    expect(r.movedTo).toBe(`${file}.broken-2026-12-01T10-00-00-000Z`);
    expect(r.notice).toContain('schema version 99');
    expect(r.notice).toContain(`moved aside to ${r.movedTo}`);
    expect(existsSync(r.movedTo!)).toBe(true);
    // The new cache works, and the moved one still holds what it held.
    r.cache.close();
    const old = new Database(r.movedTo!);
    expect((old.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string }).value).toBe('99');
    old.close();
  });

  it('a corrupt file is kept, byte for byte, and replaced', () => {
    const file = path.join(fresh(), 'cache.sqlite');
    const junk = Buffer.from('this is not a database, just bytes '.repeat(200));
    writeFileSync(file, junk);
    const r = openCacheSafely(file, { now });
    expect(r.notice).toMatch(/Cannot open the sync cache/);
    expect(readFileSync(r.movedTo!)).toEqual(junk);
    expect(existsSync(file)).toBe(true);
    r.cache.close();
  });

  it('where no cache file can be made, runs with one in memory and says so', () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'data'), 'a file where the data folder should be');
    const r = openCacheSafely(path.join(dir, 'data', 'mailbox2ics', 'cache.sqlite'), { now });
    expect(r.movedTo).toBeUndefined();
    expect(r.notice).toContain('runs without a saved cache');
    r.cache.close();
  });
});

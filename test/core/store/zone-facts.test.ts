// Time-zone facts kept in the sync cache: a second process takes what the first worked out instead of
// working it out again; a changed zone text, another version or a corrupt row is never taken for it.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { ZONE_FACTS_KEPT } from '../../../electron/core/store/zone-fact-store.ts';
import { ZoneFactMemo, learnZoneFacts, takeFreshZoneFacts, zoneFact } from '../../../electron/core/ical/zone-facts.ts';
import { BudgetExhausted, ExpansionBudget } from '../../../electron/core/recurrence/expansion-budget.ts';
import { createHash } from 'node:crypto';

const CHILD = path.resolve(import.meta.dirname, '../../helpers/zone-facts-child.ts');
const tempFile = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), `zone-facts-${name}-`)), 'cache.sqlite');

const zone = (standardMonth: number) =>
  'BEGIN:VTIMEZONE\r\nTZID:Test/Zone\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19810329T020000\r\n' +
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n' +
  `DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=${standardMonth};BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE`;

interface ChildOut {
  results: Array<{ sig: string; rule: string | null; offsets: number; steps: number }>;
  notices: string[];
}

/** A fresh process on the cache file: takes its facts, then works out each zone (and stores what it computed, with `store`). */
function inChild(cacheFile: string, zones: string[], store = false): Promise<ChildOut> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CHILD], { timeout: 60_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`zone-facts child failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as ChildOut);
    });
    child.stdin!.end(JSON.stringify({ cacheFile, zones, store }));
  });
}

const checkOf = (key: string, value: string) => createHash('sha256').update(`${key}\n${value}`).digest('hex').slice(0, 32);

describe('time-zone facts in the sync cache', () => {
  it('a second process takes the facts the first stored; a changed zone text is worked out afresh', async () => {
    const file = tempFile('reuse');
    new SyncCache(file).close();
    const first = await inChild(file, [zone(10)], true);
    expect(first.results[0].offsets).toBeGreaterThan(100);
    expect(first.results[0].steps).toBeGreaterThan(10);
    expect(first.results[0].rule).toBeNull();

    const second = await inChild(file, [zone(10), zone(11)]);
    // The same zone: nothing worked out, the same answers.
    expect(second.results[0]).toEqual({ ...first.results[0], offsets: 0, steps: 0 });
    // Another observance rule: worked out, and it means something else.
    expect(second.results[1].offsets).toBeGreaterThan(100);
    expect(second.results[1].steps).toBeGreaterThan(10);
    expect(second.results[1].sig).not.toBe(first.results[0].sig);
    expect(second.notices).toEqual([]);
  }, 60_000);

  it('a corrupt stored fact is ignored and reported, and the one worked out again replaces it', async () => {
    const file = tempFile('corrupt');
    new SyncCache(file).close();
    const truth = (await inChild(file, [zone(10)], true)).results[0];
    const db = new Database(file);
    const rows = db.prepare('SELECT key FROM zone_facts ORDER BY key').pluck().all() as string[];
    expect(rows.map((k) => k.split('/')[0])).toEqual(['zone-rule', 'zone-rule', 'zone-signature']);
    // A signature changed without its check, and a rule verdict whose check fits but is not JSON.
    const sigKey = rows.find((k) => k.startsWith('zone-signature/'))!;
    db.prepare('UPDATE zone_facts SET value = ? WHERE key = ?').run(JSON.stringify('0'.repeat(32)), sigKey);
    db.prepare('UPDATE zone_facts SET value = ?, "check" = ? WHERE key = ?').run('{not json', checkOf(rows[0], '{not json'), rows[0]);
    db.close();

    const second = await inChild(file, [zone(10)], true);
    expect(second.results[0].sig).toBe(truth.sig);
    expect(second.results[0].rule).toBe(truth.rule);
    expect(second.results[0].offsets).toBeGreaterThan(100);
    expect(second.results[0].steps).toBeGreaterThan(0);
    expect(second.notices).toEqual(['2 stored time-zone facts were unreadable; ignored and worked out again']);
    // Stored again, whole: the next process takes them.
    const third = await inChild(file, [zone(10)]);
    expect(third.results[0]).toEqual({ ...truth, offsets: 0, steps: 0 });
    expect(third.notices).toEqual([]);
  }, 60_000);

  it('a fact of another version is never read (a changed check or limit changes the version), and not called corrupt', async () => {
    const file = tempFile('version');
    new SyncCache(file).close();
    const truth = (await inChild(file, [zone(10)], true)).results[0];
    const db = new Database(file);
    for (const { key, value } of db.prepare('SELECT key, value FROM zone_facts').all() as Array<{ key: string; value: string }>) {
      const [kind, , hash] = key.split('/');
      const older = `${kind}/0|older/${hash}`;
      db.prepare('UPDATE zone_facts SET key = ?, "check" = ? WHERE key = ?').run(older, checkOf(older, value), key);
    }
    db.close();
    const second = await inChild(file, [zone(10)]);
    expect(second.results[0].sig).toBe(truth.sig);
    expect(second.results[0].offsets).toBeGreaterThan(100);
    expect(second.notices).toEqual([]);
  }, 60_000);

  it('keeps at most ZONE_FACTS_KEPT rows, the newest; a file from before the table gains it and keeps its rows', () => {
    const file = tempFile('bound');
    const cache = new SyncCache(file);
    const fact = (i: number) => ({ key: `k/1/${i}`, value: 'null', check: checkOf(`k/1/${i}`, 'null') });
    cache.zoneFacts.put(Array.from({ length: ZONE_FACTS_KEPT }, (_, i) => fact(i)));
    cache.zoneFacts.put([fact(ZONE_FACTS_KEPT), fact(ZONE_FACTS_KEPT + 1)]);
    const keys = new Set(cache.zoneFacts.all().map((f) => f.key));
    expect(keys.size).toBeLessThanOrEqual(ZONE_FACTS_KEPT);
    expect(keys.has(`k/1/${ZONE_FACTS_KEPT + 1}`)).toBe(true);
    expect(keys.has('k/1/0')).toBe(false);
    const ref = { account: 'a', folder: 'F', scanKey: 'k' };
    cache.folders.beginFullScan(ref, { uidValidity: '7', uidNext: 5, exists: 1 });
    cache.folders.putMessages(ref, '7', [{ uid: 1, hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [] }]);
    cache.close();
    // As a cache written before the table existed (same schema version).
    const db = new Database(file);
    db.exec('DROP TABLE zone_facts');
    db.close();
    const reopened = new SyncCache(file);
    expect(reopened.zoneFacts.all()).toEqual([]);
    expect(reopened.folders.messages(ref).rows.map((m) => m.uid)).toEqual([1]);
    reopened.close();
  });
});

describe('zone facts in one process', () => {
  const memo = new ZoneFactMemo('test-kind', '1', (v): v is string | null => v === null || typeof v === 'string');

  it('hands out only durable facts, once each', () => {
    expect(zoneFact(memo, 'a', () => ({ value: 'A' }))).toBe('A');
    expect(zoneFact(memo, 'b', () => ({ value: 'B', durable: false }))).toBe('B');
    expect(zoneFact(memo, 'a', () => ({ value: 'other' }))).toBe('A');
    const fresh = takeFreshZoneFacts().filter((f) => f.key.startsWith('test-kind/'));
    expect(fresh.map((f) => f.value)).toEqual(['"A"']);
    expect(takeFreshZoneFacts().filter((f) => f.key.startsWith('test-kind/'))).toEqual([]);
  });

  it('takes a stored fact of its kind and version instead of working it out, and refuses a value of the wrong shape', () => {
    const key = memo.storedKey('c');
    expect(learnZoneFacts([{ key, value: '"C"', check: checkOf(key, '"C"') }])).toEqual({ taken: 1, unreadable: 0 });
    expect(zoneFact(memo, 'c', () => ({ value: 'computed' }))).toBe('C');
    const bad = memo.storedKey('d');
    expect(learnZoneFacts([{ key: bad, value: '42', check: checkOf(bad, '42') }])).toEqual({ taken: 0, unreadable: 1 });
    expect(zoneFact(memo, 'd', () => ({ value: 'computed' }))).toBe('computed');
  });

  it('a budget says whether its processor-time limit ran out (such a verdict is never stored)', () => {
    let now = 0;
    const timed = new ExpansionBudget({ maxSteps: 1_000_000, maxMs: 10, clock: () => now });
    now = 11;
    expect(() => timed.charge(1000)).toThrow(expect.objectContaining({ timed: true }));
    const counted = new ExpansionBudget({ maxSteps: 5, maxMs: 1e9, clock: () => 0 });
    let err: unknown;
    try {
      counted.charge(6);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BudgetExhausted);
    expect((err as BudgetExhausted).timed).toBe(false);
  });
});

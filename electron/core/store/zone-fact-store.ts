// The time-zone facts the sync cache keeps across runs (ical/zone-facts.ts: a zone's meaning, whether
// its rules can be expanded), so a fresh process does not work them out again. Stores rows as given;
// never decides what a row means, and failing to store one never fails a sync.
import type Database from 'better-sqlite3';
import type { StoredZoneFact } from '../ical/zone-facts.ts';

/**
 * Rows kept, the least recently written dropped first. Why 2,000: as many as a process remembers
 * (ZONE_FACTS_LIMIT); real mailboxes use a few dozen zones, and hostile ones cannot grow the file.
 */
export const ZONE_FACTS_KEPT = 2000;

export class ZoneFactStore {
  private read = false;

  constructor(
    private readonly db: Database.Database,
    private readonly write: <T>(fn: () => T) => T,
  ) {}

  /** Every stored row (at most ZONE_FACTS_KEPT, small). */
  all(): StoredZoneFact[] {
    return this.db.prepare('SELECT key, value, "check" FROM zone_facts').all() as StoredZoneFact[];
  }

  /**
   * Every stored row the first time it is asked for, then nothing: a process takes them once (they
   * are remembered in memory from then on), and only when it is about to prepare a part.
   */
  unread(): StoredZoneFact[] {
    if (this.read) return [];
    this.read = true;
    return this.all();
  }

  /**
   * Stores facts in one transaction and drops the oldest beyond ZONE_FACTS_KEPT. Returns false when
   * the file could not be written (busy, full, read-only): the facts are then only worked out again.
   */
  put(facts: StoredZoneFact[]): boolean {
    if (!facts.length) return true;
    try {
      this.write(() => {
        // REPLACE gives the row a new rowid: the newest rows have the highest.
        const put = this.db.prepare('INSERT OR REPLACE INTO zone_facts (key, value, "check") VALUES (?, ?, ?)');
        for (const f of facts) put.run(f.key, f.value, f.check);
        this.db.prepare('DELETE FROM zone_facts WHERE rowid <= (SELECT max(rowid) FROM zone_facts) - ?').run(ZONE_FACTS_KEPT);
      });
      return true;
    } catch {
      return false;
    }
  }
}

// The sync cache's tables and the upgrade of a file written by an older mailbox2ics. Runs in one
// write transaction; never converts rows it cannot trust (they are dropped and rescanned instead).
import type Database from 'better-sqlite3';

// 2: feeds keep the calendar text in its own column (no JSON escaping of a megabyte per sync).
// 3: folder state and message rows are kept per scan key (the server filters and size limit that
//    decided them), with a revision that changes whenever a folder's rows change; UIDNEXT may be
//    unknown; feeds record when they were written (stale ones are dropped).
// 4: texts over 256 KB (a message's record, a feed's text or data) are stored gzipped, as BLOBs
//    (packed-text.ts), which a mailbox2ics of version 3 could not read; the table zone_facts
//    (time-zone facts, each row naming its own kind and version, see ical/zone-facts.ts); the
//    folders' content_revision and content_at (what the rows give a merge, see row-content.ts).
//    The two columns are also added in place where a file lacks them (see missingColumns).
export const SCHEMA_VERSION = 4;

const TABLES = `
CREATE TABLE IF NOT EXISTS folders (
  account TEXT NOT NULL, folder TEXT NOT NULL, scan_key TEXT NOT NULL,
  uid_validity TEXT NOT NULL, uid_next INTEGER, msg_exists INTEGER NOT NULL, highest_modseq TEXT,
  complete INTEGER NOT NULL, revision INTEGER NOT NULL, synced_at INTEGER NOT NULL,
  content_revision INTEGER, content_at INTEGER,
  PRIMARY KEY (account, folder, scan_key)
);
CREATE TABLE IF NOT EXISTS messages (
  account TEXT NOT NULL, folder TEXT NOT NULL, scan_key TEXT NOT NULL, uid INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (account, folder, scan_key, uid)
);
CREATE TABLE IF NOT EXISTS feeds (key TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL, ics TEXT NOT NULL, written_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (scope TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS zone_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL, "check" TEXT NOT NULL);
`;

const TABLE_NAMES = ['meta', 'folders', 'messages', 'feeds', 'snapshots', 'zone_facts'];

function isCurrent(db: Database.Database): boolean {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${TABLE_NAMES.map(() => '?').join(', ')})`).pluck().all(...TABLE_NAMES);
  if (names.length !== TABLE_NAMES.length) return false;
  const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get();
  const rev = db.prepare("SELECT value FROM meta WHERE key = 'revision'").pluck().get();
  return Number(v) === SCHEMA_VERSION && rev !== undefined && missingColumns(db).length === 0;
}

/** Columns of folders added to schema 3 in place. */
const ADDED_COLUMNS = ['content_revision', 'content_at'];

function missingColumns(db: Database.Database): string[] {
  const have = new Set(db.prepare("SELECT name FROM pragma_table_info('folders')").pluck().all() as string[]);
  return have.size ? ADDED_COLUMNS.filter((c) => !have.has(c)) : [];
}

/**
 * Brings the file to SCHEMA_VERSION, or throws for a file from a newer mailbox2ics (left untouched).
 * Before version 3 one folder row served every filter, so two profiles over one folder could leave
 * rows that belong to neither: folders, messages and feeds of an older file are dropped (the next
 * sync rescans once); the change snapshots of each profile stay.
 */
export function upgradeSchema(db: Database.Database): void {
  // The usual open writes nothing, so it never waits for another process's write (nor fails on one).
  if (isCurrent(db)) return;
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    const version = row ? Number(row.value) : undefined;
    if (version !== undefined && version > SCHEMA_VERSION) {
      throw new Error(`schema version ${row!.value}, expected ${SCHEMA_VERSION} (written by a newer mailbox2ics?)`);
    }
    if (version !== SCHEMA_VERSION) {
      // No version (a file whose first run died before recording one) is treated as old too.
      db.exec('DROP TABLE IF EXISTS folders; DROP TABLE IF EXISTS messages; DROP TABLE IF EXISTS feeds;');
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
    }
    // Also recreates a table lost to damage (the cache is then only colder, never wrong).
    db.exec(TABLES);
    // NULL in both: what the rows give a merge is not known yet (see row-content.ts contentKey).
    for (const c of missingColumns(db)) db.exec(`ALTER TABLE folders ADD COLUMN ${c} INTEGER`);
    // Revisions are unique over the file's life (never reused after a folder is dropped), so a
    // stored feed can never match rows it was not built from.
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', '0')").run();
  }).immediate();
}

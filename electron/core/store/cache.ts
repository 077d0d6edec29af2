// The sync cache: per account and folder the mailbox state (UIDVALIDITY, UIDNEXT, EXISTS,
// HIGHESTMODSEQ) and per message UID what was extracted. SQLite, WAL, every write in a transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { MessageResult } from '../imap/message-scan.ts';
import type { Snapshot } from '../preview/preview-events.ts';

export interface FolderState {
  uidValidity: string;
  uidNext: number;
  exists: number;
  highestModseq?: string;
  /** Hash of the settings that decide what a scan stores (filters, size limit); a change rescans. */
  scanKey: string;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
  account TEXT NOT NULL, folder TEXT NOT NULL,
  uid_validity TEXT NOT NULL, uid_next INTEGER NOT NULL, msg_exists INTEGER NOT NULL,
  highest_modseq TEXT, scan_key TEXT NOT NULL,
  PRIMARY KEY (account, folder)
);
CREATE TABLE IF NOT EXISTS feeds (key TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (scope TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  account TEXT NOT NULL, folder TEXT NOT NULL, uid INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (account, folder, uid)
);
`;

export class SyncCache {
  private readonly db: Database.Database;

  constructor(file: string) {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      this.db = new Database(file);
      // WAL + synchronous=NORMAL: a crash loses at most the last transaction, never consistency.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
      const v = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
      if (!v) this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      else if (Number(v.value) !== SCHEMA_VERSION) throw new Error(`schema version ${v.value}, expected ${SCHEMA_VERSION}`);
    } catch (err) {
      throw new AppError('CONFIG', `Cannot open the sync cache ${file}: ${(err as Error).message}. Delete it or pass --no-cache.`, { file });
    }
  }

  folderState(account: string, folder: string): FolderState | undefined {
    const row = this.db.prepare('SELECT uid_validity, uid_next, msg_exists, highest_modseq, scan_key FROM folders WHERE account = ? AND folder = ?').get(account, folder) as
      | { uid_validity: string; uid_next: number; msg_exists: number; highest_modseq: string | null; scan_key: string }
      | undefined;
    if (!row) return undefined;
    return { uidValidity: row.uid_validity, uidNext: row.uid_next, exists: row.msg_exists, highestModseq: row.highest_modseq ?? undefined, scanKey: row.scan_key };
  }

  cachedUids(account: string, folder: string): number[] {
    return (this.db.prepare('SELECT uid FROM messages WHERE account = ? AND folder = ? ORDER BY uid').all(account, folder) as Array<{ uid: number }>).map((r) => r.uid);
  }

  /** Every cached message of a folder, in UID order. */
  *messages(account: string, folder: string): Generator<MessageResult> {
    const stmt = this.db.prepare('SELECT result FROM messages WHERE account = ? AND folder = ? ORDER BY uid');
    for (const row of stmt.iterate(account, folder) as Iterable<{ result: string }>) yield JSON.parse(row.result) as MessageResult;
  }

  /** Forgets a folder entirely (UIDVALIDITY changed, or its scan settings did). */
  resetFolder(account: string, folder: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM messages WHERE account = ? AND folder = ?').run(account, folder);
      this.db.prepare('DELETE FROM folders WHERE account = ? AND folder = ?').run(account, folder);
    })();
  }

  /** Stores a batch of scanned messages in one transaction. */
  putMessages(account: string, folder: string, results: MessageResult[]): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO messages (account, folder, uid, result) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of results) put.run(account, folder, r.uid, JSON.stringify(r));
    })();
  }

  /** Removes expunged UIDs and records the new mailbox state, atomically. */
  commitFolder(account: string, folder: string, gone: number[], state: FolderState): void {
    const del = this.db.prepare('DELETE FROM messages WHERE account = ? AND folder = ? AND uid = ?');
    this.db.transaction(() => {
      for (const uid of gone) del.run(account, folder, uid);
      this.db
        .prepare('INSERT OR REPLACE INTO folders (account, folder, uid_validity, uid_next, msg_exists, highest_modseq, scan_key) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(account, folder, state.uidValidity, state.uidNext, state.exists, state.highestModseq ?? null, state.scanKey);
    })();
  }

  /** The merged feed last built for these settings, if the folders were then in exactly `state`. */
  getFeed(key: string, state: string): string | undefined {
    const row = this.db.prepare('SELECT state, data FROM feeds WHERE key = ?').get(key) as { state: string; data: string } | undefined;
    return row && row.state === state ? row.data : undefined;
  }

  putFeed(key: string, state: string, data: string): void {
    this.db.prepare('INSERT OR REPLACE INTO feeds (key, state, data) VALUES (?, ?, ?)').run(key, state, data);
  }

  /** What the last finished sync of a scope (a profile) produced, for "new / updated / cancelled". */
  getSnapshot(scope: string): Snapshot | undefined {
    const row = this.db.prepare('SELECT data FROM snapshots WHERE scope = ?').get(scope) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Snapshot) : undefined;
  }

  putSnapshot(scope: string, snapshot: Snapshot): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (scope, data) VALUES (?, ?)').run(scope, JSON.stringify(snapshot));
  }

  close(): void {
    this.db.close();
  }
}

/** Where the cache lives by default: the user's data directory. */
export function defaultCachePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'mailbox2ics', 'cache.sqlite');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mailbox2ics', 'cache.sqlite');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'mailbox2ics', 'cache.sqlite');
}

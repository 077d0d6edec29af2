// Each folder's cached state and message rows for one scan key, and this process's in-memory mirror
// of them. Every write re-checks, inside its IMMEDIATE transaction, that the rows are still what the
// writer last saw; never trusts a mirror after another process moved the folder's revision.
import type Database from 'better-sqlite3';
import type { MessageResult } from '../imap/message-scan.ts';
import { relieveHeap, reliefEvery } from '../memory/heap-relief.ts';
import { packJson, unpackText } from './packed-text.ts';
import { contentKey, isPlain, knownContent, nextContent, plainRow } from './row-content.ts';
import { CacheConflictError, type CachedFolder, type CachedRows, type FolderRef, type FolderState } from './folder-types.ts';
import { FolderMirrors, type Mirror } from './folder-mirrors.ts';

/** Rows read between two heap checks (see memory/heap-relief.ts), and a row's size above which it is
 * checked at once and never mirrored (a part of 78,000 events is one 18 MB row; invitations are a few KB). */
const RELIEF_EVERY = 256;
const LARGE_ROW_CHARS = 1024 * 1024;

/**
 * Rows of a scan key not synced for this long are dropped when another key of that folder syncs.
 * Why 30 days: settings nobody used for a month (edited filters, a removed profile) only cost disk;
 * if they come back, one rescan rebuilds them.
 */
export const STALE_SCAN_KEY_MS = 30 * 24 * 3600_000;

/**
 * At most this many scan keys are kept per folder, the least recently synced dropped first. Why 32:
 * far more profiles than anyone points at one folder, while an afternoon of filter edits (each a
 * new key, each a copy of the folder's rows) stays bounded.
 */
export const MAX_SCAN_KEYS_PER_FOLDER = 32;

/** A no-change sync records when it ran at most this often (the record only orders stale keys). */
const SYNCED_AT_STEP_MS = 3600_000;

interface FolderRow {
  uid_validity: string;
  uid_next: number | null;
  msg_exists: number;
  highest_modseq: string | null;
  complete: number;
  revision: number;
  synced_at: number;
  content_revision: number | null;
  content_at: number | null;
}

const refKey = (r: FolderRef) => `${r.account}\0${r.folder}\0${r.scanKey}`;
const WHERE = 'account = ? AND folder = ? AND scan_key = ?';
const args = (r: FolderRef) => [r.account, r.folder, r.scanKey] as const;

/** Runs a function in one IMMEDIATE write transaction (see SyncCache). */
export type WriteTransaction = <T>(fn: () => T) => T;

export class FolderStore {
  /**
   * A long-running process (the app, `serve`) keeps each folder's decoded rows in memory, so a merge
   * after a small change reads no row from disk. When another process has written the file
   * (SQLite's data_version moved), a mirror is used only if its folder's revision did not move.
   */
  private readonly mirrors = new FolderMirrors();

  constructor(
    private readonly db: Database.Database,
    private readonly write: WriteTransaction,
    private readonly now: () => number,
    /** False in a one-shot process: a folder's mirror only hands what was just written to the merge
     * (no read back), and is dropped once it has (the merge then holds the only copy). */
    private readonly keepRows = true,
  ) {}

  /** A revision never handed out before in this file (inside a write transaction). */
  private nextRevision(): number {
    const row = this.db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision' RETURNING value").get() as { value: string | number };
    return Number(row.value);
  }

  private row(ref: FolderRef): FolderRow | undefined {
    return this.db.prepare(`SELECT uid_validity, uid_next, msg_exists, highest_modseq, complete, revision, synced_at, content_revision, content_at FROM folders WHERE ${WHERE}`).get(...args(ref)) as FolderRow | undefined;
  }

  folderState(ref: FolderRef): CachedFolder | undefined {
    const row = this.row(ref);
    if (!row) return undefined;
    return {
      uidValidity: row.uid_validity, uidNext: row.uid_next ?? undefined, exists: row.msg_exists, highestModseq: row.highest_modseq ?? undefined,
      complete: row.complete === 1, revision: row.revision, content: contentKey(row),
    };
  }

  /** The folder's mirror if it still is what the file holds. */
  private mirror(ref: FolderRef): Mirror | undefined {
    const key = refKey(ref);
    const m = this.mirrors.get(key);
    if (!m) return undefined;
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (m.checked === v) return m;
    // Another connection wrote since the last check: only this folder's revision says whether it
    // was this folder (every change of its rows moves it).
    if (this.row(ref)?.revision !== m.revision) {
      this.mirrors.set(key, undefined);
      return undefined;
    }
    m.checked = v;
    return m;
  }

  /** The cached UIDs of a folder, in order. */
  cachedUids(ref: FolderRef): CachedRows<number[]> {
    const m = this.mirror(ref);
    if (m) return { revision: m.revision, content: m.content, complete: m.complete, rows: [...m.rows.keys()].sort((a, b) => a - b) };
    return this.db.transaction(() => {
      const row = this.row(ref);
      const rows = this.db.prepare(`SELECT uid FROM messages WHERE ${WHERE} ORDER BY uid`).pluck().all(...args(ref)) as number[];
      return { revision: row?.revision ?? 0, content: row ? contentKey(row) : '', complete: row?.complete === 1, rows };
    })();
  }

  /** One row the mirror does not hold (see Mirror.rows), or undefined if the file has none. */
  private largeRow(ref: FolderRef, uid: number): MessageResult | undefined {
    const row = this.db.prepare(`SELECT result FROM messages WHERE ${WHERE} AND uid = ?`).get(...args(ref), uid) as { result: string | Buffer } | undefined;
    if (!row) return undefined;
    const r = JSON.parse(unpackText(row.result)) as MessageResult;
    relieveHeap();
    return r;
  }

  /** Reads the folder's rows into the mirror unless it holds them already (see messages): they are
   * then handed out by the next messages(), in a one-shot process too. */
  mirrorRows(ref: FolderRef): void {
    if (!this.mirror(ref)) this.read(ref, false);
  }

  /** Every cached message of a folder, in UID order, read as one snapshot. The results are shared: do not modify them. */
  messages(ref: FolderRef): CachedRows<MessageResult[]> {
    const m = this.mirror(ref);
    if (m) {
      const uids = [...m.rows.keys()].sort((a, b) => a - b);
      const rows = uids.map((uid) => m.rows.get(uid) ?? this.largeRow(ref, uid));
      // A row the mirror names is gone from the file: the mirror is wrong, so read everything afresh.
      if (!rows.every((r) => r !== undefined)) {
        this.mirrors.set(refKey(ref), undefined);
        return this.messages(ref);
      }
      // Handed out: large rows (and in a one-shot process all of them) are the caller's alone now.
      if (!this.keepRows) this.mirrors.set(refKey(ref), undefined);
      else for (const [uid, size] of m.sizes) if (size === 0) m.rows.set(uid, undefined);
      return { revision: m.revision, content: m.content, complete: m.complete, rows };
    }
    return this.read(ref, true);
  }

  /**
   * The folder's rows from the file, as one snapshot, and into the mirror. `handedOut`: the caller
   * takes them now, so a one-shot process mirrors nothing and large rows are not held; otherwise
   * (a read ahead) all are held until messages() hands them out.
   */
  private read(ref: FolderRef, handedOut: boolean): CachedRows<MessageResult[]> {
    // One read transaction: the revision and the rows are of the same moment, whatever another process writes.
    return this.db.transaction(() => {
      const row = this.row(ref);
      const revision = row?.revision ?? 0;
      const complete = row?.complete === 1;
      const content = row ? contentKey(row) : '';
      const loaded: Mirror = { rows: new Map(), content, complete, sizes: new Map(), bytes: 0, revision, checked: this.db.pragma('data_version', { simple: true }) as number };
      const rows: MessageResult[] = [];
      const relief = reliefEvery(RELIEF_EVERY);
      for (const row of this.db.prepare(`SELECT result FROM messages WHERE ${WHERE} ORDER BY uid`).iterate(...args(ref)) as Iterable<{ result: string | Buffer }>) {
        const json = unpackText(row.result);
        const r = JSON.parse(json) as MessageResult;
        // A row of a very large part leaves megabytes of garbage at once; others add up slowly.
        if (json.length > LARGE_ROW_CHARS) relieveHeap();
        else relief();
        const small = json.length <= LARGE_ROW_CHARS;
        loaded.rows.set(r.uid, small || !handedOut ? r : undefined);
        loaded.sizes.set(r.uid, small ? json.length : 0);
        if (small) loaded.bytes += json.length;
        rows.push(r);
      }
      if (revision && (this.keepRows || !handedOut)) this.mirrors.set(refKey(ref), loaded);
      return { revision, content, complete, rows };
    })();
  }

  /**
   * Starts a scan from scratch: forgets the folder's rows and records `state` as incomplete (a run
   * killed mid-scan is resumed by the next run's UID diff). Returns the new revision.
   */
  beginFullScan(ref: FolderRef, state: FolderState): number {
    const revision = this.write(() => {
      const rev = this.nextRevision();
      this.db.prepare(`DELETE FROM messages WHERE ${WHERE}`).run(...args(ref));
      this.upsertFolder(ref, state, false, rev, rev);
      return rev;
    });
    this.mirrors.set(refKey(ref), { rows: new Map(), content: `c${revision}`, complete: false, sizes: new Map(), bytes: 0, revision, checked: this.db.pragma('data_version', { simple: true }) as number });
    return revision;
  }

  private upsertFolder(ref: FolderRef, s: FolderState, complete: boolean, revision: number, content: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO folders (account, folder, scan_key, uid_validity, uid_next, msg_exists, highest_modseq, complete, revision, synced_at, content_revision, content_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(...args(ref), s.uidValidity, s.uidNext ?? null, s.exists, s.highestModseq ?? null, complete ? 1 : 0, revision, this.now(), content, revision);
  }

  /**
   * Stores a batch of scanned messages in one transaction. Refused when the folder's rows are gone
   * or now belong to another UIDVALIDITY (another process started over); otherwise adding the
   * messages is right whatever else was written, since a UID's content never changes. Returns the
   * revision before and after: a `before` other than the caller's last means another writer came between.
   */
  putMessages(ref: FolderRef, uidValidity: string, results: MessageResult[]): { before: number; revision: number; content: string } {
    // Packed as it is written: a very large part's JSON (tens of MB) is never held whole.
    const rows = results.map((r) => {
      const { packed, length } = packJson(r);
      return [r, packed, length] as const;
    });
    if (rows.some(([, packed]) => typeof packed !== 'string')) relieveHeap();
    const put = this.db.prepare(`INSERT OR REPLACE INTO messages (account, folder, scan_key, uid, result) VALUES (?, ?, ?, ?, ?)`);
    const has = this.db.prepare(`SELECT 1 FROM messages WHERE ${WHERE} AND uid = ?`).pluck();
    const out = this.write(() => {
      const row = this.row(ref);
      if (!row || row.uid_validity !== uidValidity) throw new CacheConflictError(ref, row ? 'new UIDVALIDITY' : 'rows dropped');
      // A row replaced may have given the merge something: only new plain rows keep the content.
      const touched = rows.some(([r]) => !isPlain(r) || has.get(...args(ref), r.uid) !== undefined);
      for (const [r, packed] of rows) put.run(...args(ref), r.uid, packed);
      const revision = this.nextRevision();
      const content = nextContent(row, revision, touched);
      this.db.prepare(`UPDATE folders SET revision = ?, content_revision = ?, content_at = ? WHERE ${WHERE}`).run(revision, content, revision, ...args(ref));
      return { before: row.revision, revision, content: `c${content}` };
    });
    this.mirrors.follow(refKey(ref), out.before, out.revision, out.content, (m) => {
      for (const [r, , length] of rows) {
        const size = length <= LARGE_ROW_CHARS ? length : 0;
        m.bytes += size - (m.sizes.get(r.uid) ?? 0);
        m.rows.set(r.uid, r);
        m.sizes.set(r.uid, size);
      }
    });
    return out;
  }

  /**
   * Removes the UIDs that are gone and records that the rows now hold the folder exactly as in
   * `state`. `check.revision` is the revision this sync last wrote or read; when another writer has
   * moved it since (or undefined: one came between the sync's batches), the rows are compared with
   * `check.expected` (the UIDs the sync found on the server) and any difference is a conflict:
   * the rows are then not what this state claims. Returns the new revision.
   */
  commitFolder(ref: FolderRef, gone: number[], state: FolderState, check: { revision: number | undefined; expected: () => Iterable<number> }): number {
    const del = this.db.prepare(`DELETE FROM messages WHERE ${WHERE} AND uid = ? RETURNING result`).pluck();
    const out = this.write(() => {
      const row = this.row(ref);
      if (!row || row.uid_validity !== state.uidValidity) throw new CacheConflictError(ref, row ? 'new UIDVALIDITY' : 'rows dropped');
      let removed = 0;
      let touched = false;
      for (const uid of gone) {
        const result = del.get(...args(ref), uid) as string | Buffer | undefined;
        if (result === undefined) continue;
        removed += 1;
        // A packed row (over 256 KB, see packed-text.ts) is never plain: plain mail's record is tiny.
        touched ||= typeof result !== 'string' || !plainRow(result);
      }
      if (row.revision !== check.revision) {
        const want = new Set(check.expected());
        const have = this.db.prepare(`SELECT uid FROM messages WHERE ${WHERE}`).pluck().all(...args(ref)) as number[];
        if (have.length !== want.size || have.some((u) => !want.has(u))) throw new CacheConflictError(ref, 'another process changed them');
      }
      // Becoming complete is a change too: a reader holding the incomplete rows must see it.
      const revision = removed || !row.complete ? this.nextRevision() : row.revision;
      const content = revision === row.revision ? (knownContent(row) ?? revision) : nextContent(row, revision, touched);
      this.upsertFolder(ref, state, true, revision, content);
      this.pruneStaleKeys(ref);
      return { before: row.revision, revision, content: `c${content}` };
    });
    this.mirrors.follow(refKey(ref), check.revision === out.before ? out.before : undefined, out.revision, out.content, (m) => {
      for (const uid of gone) {
        m.bytes -= m.sizes.get(uid) ?? 0;
        m.rows.delete(uid);
        m.sizes.delete(uid);
      }
      m.complete = true;
    });
    return out.revision;
  }

  /**
   * A sync that found the folder unchanged records a new HIGHESTMODSEQ (flags only) and when it
   * ran, unless another writer moved the folder meanwhile (its record is then the newer one).
   */
  touchFolder(ref: FolderRef, state: FolderState, revision: number): void {
    const row = this.row(ref);
    if (!row || row.revision !== revision) return;
    if ((row.highest_modseq ?? undefined) === state.highestModseq && this.now() - row.synced_at < SYNCED_AT_STEP_MS) return;
    this.write(() => {
      this.db.prepare(`UPDATE folders SET highest_modseq = ?, synced_at = ? WHERE ${WHERE} AND revision = ?`).run(state.highestModseq ?? null, this.now(), ...args(ref), revision);
    });
  }

  /** Drops the rows of this folder's other scan keys that nobody synced for long, or beyond the per-folder cap. */
  private pruneStaleKeys(ref: FolderRef): void {
    const others = this.db
      .prepare('SELECT scan_key, synced_at FROM folders WHERE account = ? AND folder = ? AND scan_key != ? ORDER BY synced_at DESC')
      .all(ref.account, ref.folder, ref.scanKey) as Array<{ scan_key: string; synced_at: number }>;
    const cutoff = this.now() - STALE_SCAN_KEY_MS;
    const drop = others.filter((o, i) => o.synced_at < cutoff || i >= MAX_SCAN_KEYS_PER_FOLDER - 1);
    for (const o of drop) {
      const r = { ...ref, scanKey: o.scan_key };
      this.db.prepare(`DELETE FROM messages WHERE ${WHERE}`).run(...args(r));
      this.db.prepare(`DELETE FROM folders WHERE ${WHERE}`).run(...args(r));
      this.mirrors.set(refKey(r), undefined);
    }
  }
}

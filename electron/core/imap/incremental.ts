// Re-syncs one folder against the cache: nothing is fetched when UIDVALIDITY, UIDNEXT and EXISTS
// are unchanged; otherwise only new UIDs are scanned and expunged ones dropped. Read-only (EXAMINE).
// Never claims "unchanged" without the server's UIDNEXT, nor commits rows another writer changed.
import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { CalendarPart } from '../model.ts';
import { CacheConflictError, type CachedFolder, type CachedRows, type FolderRef, type FolderState, type SyncCache } from '../store/cache.ts';
import { PREPARED_VERSION } from '../ical/prepare.ts';
import { settledPart } from '../ical/kept-part.ts';
import { learnZoneFacts, takeFreshZoneFacts } from '../ical/zone-facts.ts';
import { scanBatch, type MessageResult } from './message-scan.ts';
import { cleanUids, newFolderScan, scanFolder, tally, throwIfAborted, type FolderScan, type ScanOptions } from './scan.ts';
import type { ImapSession } from './session.ts';
import { relieveHeap } from '../memory/heap-relief.ts';

/** 'stateless': the server gave no UIDVALIDITY, so its UIDs cannot be cached (scanned in full, nothing stored). */
export type SyncMode = 'full' | 'incremental' | 'unchanged' | 'stateless';

export interface CachedFolderScan extends FolderScan {
  mode: SyncMode;
  /** Messages whose structure (and calendar parts) were fetched in this run. */
  messagesFetched: number;
  messagesExpunged: number;
  /** The revision of the cached rows the calendar parts came from (absent: not from the cache). */
  revision?: number;
  /**
   * What those rows give a merge (see row-content.ts contentKey): a stored feed of this content is the
   * feed of the folder now. Absent when the feed cannot be reused (messages the server broke a command for).
   */
  content?: string;
  /** Messages the server-side SEARCH left out (no row), counted in messagesFilteredOut; apart, as they change without the content. */
  searchedOut?: number;
  /**
   * Set with lazyUnchanged when this sync changed no cached row: tallies the cached messages when
   * called, or throws CacheConflictError when another process has started the folder over meanwhile.
   */
  loadCached?: () => void;
}

/**
 * How many times one folder's sync starts over when another process changed its cached rows in a
 * way the sync's plan did not allow for (started the folder over, or removed rows). Why 4: every
 * start-over means the other process made progress, and after it each retry begins from that
 * progress; more than a few in a row means the file is being fought over, which is reported.
 */
const MAX_ATTEMPTS = 4;

/** What decides the content of a scan: when it changes, cached results no longer apply. */
export function scanKeyOf(opts: ScanOptions): string {
  const f = opts.filter && !opts.filter.isEmpty ? JSON.stringify(opts.filter.search) + JSON.stringify(opts.filter.allowList ?? []) : '';
  // The prepared-record version is part of it: cached parts are stored prepared, without their text.
  return createHash('sha256').update(`v1|p${PREPARED_VERSION}|${opts.maxPartBytes}|${f}`).digest('hex').slice(0, 16);
}

/** UIDNEXT as the server stated it; anything else (left out, as RFC 3501 allows, or garbled) is unknown. */
function knownUidNext(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/** Equal UIDNEXT and EXISTS prove that no message came or went; an unknown UIDNEXT proves nothing. */
function provesUnchanged(prev: CachedFolder | undefined, now: FolderState): boolean {
  return !!prev && prev.complete && prev.uidNext !== undefined && now.uidNext !== undefined && prev.uidNext === now.uidNext && prev.exists === now.exists;
}

interface Attempt {
  mode: SyncMode;
  expunged: number;
  exists: number;
  state?: FolderState;
  /** The rows' revision before and after this sync (equal: no cached row changed). */
  before: number;
  after: number;
  /** What the rows gave a merge before and after this sync (equal: only plain messages came or went). */
  contentBefore: string;
  contentAfter: string;
}

type SyncOpts = ScanOptions & { full?: boolean; lazyUnchanged?: boolean };

/**
 * One pass over the folder (EXAMINE, diff, fetch, commit); a CacheConflictError means start over.
 * `fetched` counts the messages fetched, also by a pass that ends in a conflict.
 */
async function attempt(session: ImapSession, cache: SyncCache, ref: FolderRef, opts: SyncOpts, full: boolean, fetched: { n: number }, onTransient: (m: MessageResult) => void): Promise<Attempt> {
  const { folder } = ref;
  const search = (query: Parameters<ImapSession['client']['search']>[0]) => session.run(`searching folder "${folder}"`, async (c) => cleanUids(await c.search(query, { uid: true })));
  try {
    const mb = await session.open(folder);
    if (!mb) throw new AppError('FOLDER_NOT_FOUND', `Folder "${folder}" could not be opened.`, { folder });
    const out: Attempt = { mode: 'incremental', expunged: 0, exists: mb.exists, before: 0, after: 0, contentBefore: '', contentAfter: '' };
    if (mb.uidValidity === undefined || mb.uidValidity === null) return { ...out, mode: 'stateless' };
    const state: FolderState = { uidValidity: String(mb.uidValidity), uidNext: knownUidNext(mb.uidNext), exists: mb.exists, highestModseq: mb.highestModseq?.toString() };
    out.state = state;
    let prev = cache.folders.folderState(ref);
    out.before = prev?.revision ?? 0;
    out.contentBefore = prev?.content ?? '';
    let revision: number;
    if (full || !prev || prev.uidValidity !== state.uidValidity) {
      // Record the UIDVALIDITY and settings the batches below belong to, as incomplete: a run killed
      // mid-scan is then resumed by the next run's UID diff instead of starting over.
      revision = cache.folders.beginFullScan(ref, state);
      prev = undefined;
      out.mode = 'full';
    } else revision = prev.revision;
    // An append raises UIDNEXT and an expunge lowers EXISTS, so equal values mean no message came or
    // went; a changed HIGHESTMODSEQ alone is only flags, which never matter here.
    if (provesUnchanged(prev, state)) {
      out.mode = 'unchanged';
      cache.folders.touchFolder(ref, state, revision);
      out.after = revision;
      out.contentAfter = prev!.content;
      return out;
    }
    const filtered = !!opts.filter && !opts.filter.isEmpty;
    const cached = cache.folders.cachedUids(ref);
    if (cached.revision !== revision) throw new CacheConflictError(ref, 'written while this sync read them');
    let fresh: number[] | undefined;
    let gone: number[] = [];
    let expected: () => Iterable<number> = () => [];
    if (!filtered && prev?.complete && prev.uidNext !== undefined) {
      // Every message below the recorded UIDNEXT is cached (UIDs only grow), so when the cached
      // ones plus the new ones add up to EXISTS, nothing was expunged: ask only for the new UIDs
      // instead of listing the whole folder.
      const from = prev.uidNext;
      const newer = (await search({ uid: `${from}:*` })).filter((u) => u >= from);
      if (cached.rows.length + newer.length === mb.exists) {
        const now = (fresh = newer.sort((a, b) => a - b));
        expected = () => [...cached.rows, ...now];
      }
    }
    if (!fresh) {
      // Also the way to learn the state when the server gave no UIDNEXT: the UIDs themselves.
      const current = mb.exists ? await search(filtered ? opts.filter!.search : { all: true }) : [];
      const now = new Set(current);
      const known = new Set(cached.rows);
      fresh = current.filter((u) => !known.has(u)).sort((a, b) => a - b);
      gone = cached.rows.filter((u) => !now.has(u));
      expected = () => now;
    }
    const batchSize = opts.batchSize ?? 500;
    // Whether every write since `revision` was this sync's own (else the commit compares the rows).
    let clean = true;
    // Messages the server broke a command for: reported now, never cached, so the next sync tries
    // them again (the folder is recorded so that it cannot look unchanged).
    const transient = new Set<number>();
    opts.onProgress?.({ folder, done: 0, total: fresh.length, calendarParts: 0 });
    if (fresh.length) learnStoredZoneFacts(cache);
    for (let i = 0; i < fresh.length; i += batchSize) {
      throwIfAborted(opts.signal);
      // New calendar parts mean a merge, which reads every cached row (~40 ms for 10,000 in a fresh
      // process): read them while the server sends the first of those parts, not after the last answer.
      const all = await scanBatch(session, folder, fresh.slice(i, i + batchSize), opts, i === 0 ? () => cache.folders.mirrorRows(ref) : undefined);
      const results = all.filter((r) => !r.transient);
      for (const r of all) {
        if (!r.transient) continue;
        transient.add(r.uid);
        onTransient(r);
      }
      // Stored prepared, so later merges read the parts' components without parsing them again; the
      // raw text is then not needed (a new prepared-record version changes the scan key: rescan).
      for (const r of results) r.parts = r.parts.map(settledPart);
      // Each batch is committed on its own: a killed run keeps what it finished, and the next
      // run's UID diff picks up exactly the rest.
      const w = cache.folders.putMessages(ref, state.uidValidity, results);
      cache.zoneFacts.put(takeFreshZoneFacts());
      if (w.before !== revision) clean = false;
      revision = w.revision;
      relieveHeap();
      fetched.n += all.length;
      opts.onProgress?.({ folder, done: Math.min(fresh.length, i + batchSize), total: fresh.length, calendarParts: 0 });
    }
    const cachedOnes = () => [...expected()].filter((u) => !transient.has(u));
    out.after = cache.folders.commitFolder(ref, gone, transient.size ? { ...state, exists: -1 } : state, { revision: clean ? revision : undefined, expected: cachedOnes });
    out.expunged = gone.length;
    out.contentAfter = cache.folders.folderState(ref)?.content ?? '';
    return out;
  } finally {
    session.close();
  }
}

/**
 * Before the first part is prepared: the time-zone facts earlier runs worked out (a fresh process
 * would otherwise spend ~150 ms on its first zone). A corrupt row is ignored, said, and worked out again.
 */
export function learnStoredZoneFacts(cache: SyncCache): void {
  const { unreadable } = learnZoneFacts(cache.zoneFacts.unread());
  if (unreadable) cache.notice(`${unreadable} stored time-zone ${unreadable === 1 ? 'fact was' : 'facts were'} unreadable; ignored and worked out again`);
}

/** The folder's cached rows, if they are a whole folder: never the part another process's scan from scratch has stored so far. */
function completeRows(cache: SyncCache, ref: FolderRef): CachedRows<MessageResult[]> {
  const snap = cache.folders.messages(ref);
  if (!snap.complete) throw new CacheConflictError(ref, 'another process is scanning the folder from scratch');
  return snap;
}

export async function syncFolderCached(session: ImapSession, cache: SyncCache, account: string, folder: string, opts: SyncOpts, onPart: (part: CalendarPart) => void): Promise<CachedFolderScan> {
  const ref: FolderRef = { account, folder, scanKey: scanKeyOf(opts) };
  const startBytes = session.received();
  const fetched = { n: 0 };
  let transients: MessageResult[] = [];
  let done: Attempt | undefined;
  let rows: CachedRows<MessageResult[]> | undefined;
  const release = await cache.lockFolder(account, folder, opts.signal);
  try {
    for (let n = 1; !done; n++) {
      try {
        transients = [];
        const pass = await attempt(session, cache, ref, opts, !!opts.full && n === 1, fetched, (m) => transients.push(m));
        // Rows whose content this sync did not change (it added or removed plain messages at most)
        // may not be needed at all: the caller may reuse the last merged feed of this content. With
        // lazyUnchanged the caller loads them only if it has to.
        const same = pass.contentBefore === pass.contentAfter && transients.length === 0;
        if (pass.mode !== 'stateless' && !(same && opts.lazyUnchanged)) rows = completeRows(cache, ref);
        done = pass;
      } catch (err) {
        if (!(err instanceof CacheConflictError)) throw err;
        if (n >= MAX_ATTEMPTS) {
          throw new AppError('CACHE_BUSY', `Folder "${folder}": ${err.message}, ${MAX_ATTEMPTS} times in a row; another mailbox2ics process keeps syncing it into the same cache. The calendar was not written; the next sync tries again.`, { folder });
        }
        // EXAMINE afresh: the other writer may have seen a newer state (or a new UIDVALIDITY).
        if (session.client.mailbox) await session.run(`closing folder "${folder}"`, (c) => c.mailboxClose());
      }
    }
  } finally {
    release();
  }
  if (done.mode === 'stateless') {
    const plain = await scanFolder(session, folder, opts, onPart);
    return { ...plain, mode: 'stateless', messagesFetched: plain.messages, messagesExpunged: 0, bytesDownloaded: session.received() - startBytes };
  }
  const scan: CachedFolderScan = {
    ...newFolderScan(folder), mode: done.mode, messagesFetched: fetched.n, messagesExpunged: done.expunged, revision: done.after,
    messages: done.exists, uidValidity: done.state!.uidValidity, uidNext: done.state!.uidNext, bytesDownloaded: session.received() - startBytes,
  };
  for (const m of transients) tally(scan, m, onPart);
  const filtered = !!opts.filter && !opts.filter.isEmpty;
  // The merge always starts from the cache, so the output equals a full scan of the folder now.
  const load = (snap: CachedRows<MessageResult[]>) => {
    scan.revision = snap.revision;
    scan.content = transients.length ? undefined : snap.content;
    for (const m of snap.rows) tally(scan, m, onPart);
    // Messages the SEARCH left out have no row; those the allow-list kept out were counted by tally.
    scan.searchedOut = filtered ? scan.messages - snap.rows.length : 0;
    scan.messagesFilteredOut += scan.searchedOut;
  };
  // A later load may find the rows started over by another process meanwhile: a CacheConflictError
  // then tells the caller to sync the folder again.
  if (rows) load(rows);
  else {
    scan.content = done.contentAfter;
    scan.searchedOut = filtered ? scan.messages - cache.folders.cachedUids(ref).rows.length : 0;
    scan.loadCached = () => load(completeRows(cache, ref));
  }
  return scan;
}

// Re-syncs one folder against the cache: nothing is fetched when UIDVALIDITY, UIDNEXT and EXISTS
// are unchanged; otherwise only new UIDs are scanned and expunged ones dropped. Read-only (EXAMINE).
import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { AppError } from '../errors.ts';
import type { CalendarPart } from '../model.ts';
import type { SyncCache } from '../store/cache.ts';
import { PREPARED_VERSION, preparePart } from '../ical/prepare.ts';
import { scanBatch } from './message-scan.ts';
import { newFolderScan, tally, throwIfAborted, type FolderScan, type ScanOptions } from './scan.ts';
import { toSequenceSet } from './sequence-set.ts';

export type SyncMode = 'full' | 'incremental' | 'unchanged';

export interface CachedFolderScan extends FolderScan {
  mode: SyncMode;
  /** Messages whose structure (and calendar parts) were fetched in this run. */
  messagesFetched: number;
  messagesExpunged: number;
  /** Set for an unchanged folder scanned with lazyUnchanged: tallies the cached messages when called. */
  loadCached?: () => void;
}

/** What decides the content of a scan: when it changes, cached results no longer apply. */
export function scanKeyOf(opts: ScanOptions): string {
  const f = opts.filter && !opts.filter.isEmpty ? JSON.stringify(opts.filter.search) + JSON.stringify(opts.filter.allowList ?? []) : '';
  // The prepared-record version is part of it: cached parts are stored prepared, without their text.
  return createHash('sha256').update(`v1|p${PREPARED_VERSION}|${opts.maxPartBytes}|${f}`).digest('hex').slice(0, 16);
}

export async function syncFolderCached(
  client: ImapFlow, cache: SyncCache, account: string, folder: string,
  opts: ScanOptions & { full?: boolean; lazyUnchanged?: boolean }, onPart: (part: CalendarPart) => void,
): Promise<CachedFolderScan> {
  const scan: CachedFolderScan = { ...newFolderScan(folder), mode: 'incremental', messagesFetched: 0, messagesExpunged: 0 };
  const before = client.stats().received;
  const scanKey = scanKeyOf(opts);
  const lock = await client.getMailboxLock(folder, { readOnly: true });
  try {
    const mb = client.mailbox;
    if (!mb) throw new AppError('FOLDER_NOT_FOUND', `Folder "${folder}" could not be opened.`, { folder });
    const state = { uidValidity: String(mb.uidValidity), uidNext: mb.uidNext, exists: mb.exists, highestModseq: mb.highestModseq?.toString(), scanKey };
    let prev = cache.folderState(account, folder);
    if (opts.full || !prev || prev.uidValidity !== state.uidValidity || prev.scanKey !== scanKey) {
      cache.resetFolder(account, folder);
      // Record the UIDVALIDITY and settings the batches below belong to, with a state that can
      // never look "unchanged": a run killed mid-scan is then resumed by the next run's UID diff
      // instead of starting over.
      cache.commitFolder(account, folder, [], { ...state, uidNext: 0, exists: -1, highestModseq: undefined });
      prev = undefined;
      scan.mode = 'full';
    }
    // An append raises UIDNEXT and an expunge lowers EXISTS, so equal values mean no message came or
    // went; a changed HIGHESTMODSEQ alone is only flags, which never matter here.
    if (prev && prev.uidNext === state.uidNext && prev.exists === state.exists) {
      scan.mode = 'unchanged';
      if (prev.highestModseq !== state.highestModseq) cache.commitFolder(account, folder, [], state);
    } else {
      const filtered = !!opts.filter && !opts.filter.isEmpty;
      const cached = cache.cachedUids(account, folder);
      const searchAll = async () => (mb.exists ? ((await client.search(filtered ? opts.filter!.search : { all: true }, { uid: true })) || []) : []);
      let fresh: number[] | undefined;
      let gone: number[] = [];
      let matching = 0;
      if (!filtered && prev && prev.uidNext > 0) {
        // Every message below the recorded UIDNEXT is cached (UIDs only grow), so when the cached
        // ones plus the new ones add up to EXISTS, nothing was expunged: ask only for the new UIDs
        // instead of listing the whole folder.
        const newer = ((await client.search({ uid: `${prev.uidNext}:*` }, { uid: true })) || []).filter((u) => u >= prev!.uidNext);
        if (cached.length + newer.length === mb.exists) fresh = newer.sort((a, b) => a - b);
      }
      if (!fresh) {
        const current = await searchAll();
        matching = current.length;
        const now = new Set(current);
        const known = new Set(cached);
        fresh = current.filter((u) => !known.has(u)).sort((a, b) => a - b);
        gone = cached.filter((u) => !now.has(u));
      }
      const batchSize = opts.batchSize ?? 500;
      opts.onProgress?.({ folder, done: 0, total: fresh.length, calendarParts: 0 });
      for (let i = 0; i < fresh.length; i += batchSize) {
        throwIfAborted(opts.signal);
        const results = await scanBatch(client, folder, toSequenceSet(fresh.slice(i, i + batchSize)), true, opts);
        // Stored prepared, so later merges read the parts' components without parsing them again; the
        // raw text is then not needed (a new prepared-record version changes the scan key: rescan).
        for (const r of results) r.parts = r.parts.map((p) => ({ ...p, text: '', prepared: preparePart(p) }));
        // Each batch is committed on its own: a killed run keeps what it finished, and the next
        // run's UID diff picks up exactly the rest.
        cache.putMessages(account, folder, results);
        scan.messagesFetched += results.length;
        opts.onProgress?.({ folder, done: Math.min(fresh.length, i + batchSize), total: fresh.length, calendarParts: 0 });
      }
      cache.commitFolder(account, folder, gone, state);
      scan.messagesExpunged = gone.length;
      if (filtered) scan.messagesFilteredOut = mb.exists - matching;
    }
    scan.messages = mb.exists;
    scan.uidValidity = state.uidValidity;
    scan.uidNext = state.uidNext;
  } finally {
    lock.release();
    scan.bytesDownloaded = client.stats().received - before;
  }
  // The merge always starts from the cache, so the output equals a full scan of the folder now.
  const load = () => {
    const filteredBefore = scan.messagesFilteredOut;
    for (const m of cache.messages(account, folder)) tally(scan, m, onPart);
    if (scan.mode === 'unchanged') {
      // Not recomputed without a SEARCH: derive the SEARCH-filtered count from what is cached.
      scan.messagesFilteredOut = opts.filter && !opts.filter.isEmpty ? scan.messages - cache.cachedUids(account, folder).length + (scan.messagesFilteredOut - filteredBefore) : scan.messagesFilteredOut;
    }
  };
  // An unchanged folder may not need its cached parts at all (the caller may reuse the last merged
  // feed): with lazyUnchanged the caller loads them only if it has to.
  if (scan.mode === 'unchanged' && opts.lazyUnchanged) scan.loadCached = load;
  else load();
  return scan;
}

// The IMAP sync: folders → calendar parts (through the cache when there is one) → merged feed + report.
// Used by the CLI, `serve`, the tray and the window. Never writes files (the caller does, atomically)
// and never prints. Local mail has its own entry (local-sync.ts).
import type { ImapFlow } from 'imapflow';
import type { CalendarPart } from '../model.ts';
import { createHash } from 'node:crypto';
import { buildCalendar, type BuildOptions, type FolderMergeStats, type MergedItem } from '../ical/build-calendar.ts';
import { MergeMemo } from '../ical/merge-memo.ts';
import { connectImap, defaultPort, disconnect, type ConnectOptions } from '../imap/connect.ts';
import type { ConnectionPool } from '../imap/connection-pool.ts';
import { scanKeyOf, syncFolderCached, type CachedFolderScan } from '../imap/incremental.ts';
import { CacheConflictError, type FeedRow, type FeedRowToStore, type SyncCache } from '../store/cache.ts';
import { listFolders, resolveFolders } from '../imap/folders.ts';
import { ImapSession, ServerFault } from '../imap/session.ts';
import { LOGOUT_TIMEOUT_MS } from '../limits.ts';
import { scanFolder, type FolderScan, type ScanProgress } from '../imap/scan.ts';
import { settledPart } from '../ical/kept-part.ts';
import { AppError, errorMessage } from '../errors.ts';
import type { ServerFilter } from '../filters/server-filter.ts';
import { emptyFolderReport, finishReport, mergeInto, type BuiltFeed, type FolderReport, type RunReport } from './report.ts';
import { isConnectionFailure } from '../imap/connection-failure.ts';
import { drain } from '../memory/drain.ts';

export interface MergeSettings extends BuildOptions {
  /** Calendar parts larger than this are skipped and reported. Default 10 MB. */
  maxPartBytes: number;
}

export interface SyncResult {
  ics: string;
  /** The output's components in order, with their source messages (for the app's preview). */
  items: MergedItem[];
  report: RunReport;
}

export interface ImapSyncRequest extends MergeSettings {
  connect: ConnectOptions;
  folders: string[];
  serverFilter?: ServerFilter;
  /** With a cache, only what changed since the last run is fetched; without, every run scans all. */
  cache?: SyncCache;
  /** Ignore the cache's state and rescan (the cache is refilled). */
  full?: boolean;
  /** Long-running callers keep the connection open between syncs (no new TLS handshake and login). */
  pool?: ConnectionPool;
  /** Deadline of one IMAP command, ms (default DEFAULT_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /** Deadline of the whole sync, ms (default DEFAULT_RUN_TIMEOUT_MS). */
  runTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

type Built = BuiltFeed;

/** What decides a merged feed besides the folders' content. */
function feedKey(account: string, folders: string[], scanKeys: string[], settings: MergeSettings): string {
  const desc = JSON.stringify([account, folders, scanKeys, [...settings.include].sort(), settings.cancelled, settings.maxPartBytes, settings.eventFilter?.signature ?? null, settings.trustedSenders ?? null]);
  return createHash('sha256').update(desc).digest('hex');
}

type FolderOutcome = Omit<CachedFolderScan, 'mode' | 'messagesFetched' | 'messagesExpunged'> & { mode: CachedFolderScan['mode'] | 'stateless'; messagesFetched?: number; messagesExpunged?: number };
type Tally = Pick<FolderScan, 'messagesWithCalendar' | 'messagesFilteredOut' | 'skipped' | 'warnings'>;

interface FeedMemo {
  built: Built;
  /** What each folder's cached messages tallied to, so a hit reads no message rows. */
  tallies: Record<string, Tally>;
}

/** The merged feed as stored: its text apart (no JSON escaping of a megabyte). */
function encodeMemo(memo: FeedMemo): FeedRowToStore {
  const { ics, ...rest } = memo.built;
  return { json: { built: { ...rest, folders: [...memo.built.folders] }, tallies: memo.tallies }, ics };
}

function decodeMemo(row: FeedRow): FeedMemo {
  const o = JSON.parse(row.data) as { built: Omit<Built, 'folders' | 'ics'> & { folders: Array<[string, FolderMergeStats]> }; tallies: Record<string, Tally> };
  return { built: { ...o.built, ics: row.ics, folders: new Map(o.built.folders) }, tallies: o.tallies };
}

/** The connection, unless the sync is cancelled first (a connect or TLS handshake can hang for long):
 * then CANCELLED at once, and a connection that still arrives later is closed. */
function connectUnlessCancelled(opening: Promise<ImapFlow>, signal?: AbortSignal): Promise<ImapFlow> {
  if (!signal) return opening;
  return new Promise<ImapFlow>((resolve, reject) => {
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      reject(new AppError('CANCELLED', 'The scan was cancelled.'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (c) => {
        signal.removeEventListener('abort', onAbort);
        if (cancelled) c.close();
        else resolve(c);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        if (!cancelled) reject(e);
      },
    );
  });
}

export async function syncFromImap(req: ImapSyncRequest, connect: (o: ConnectOptions) => Promise<ImapFlow> = connectImap): Promise<SyncResult> {
  const started = Date.now();
  const conn: ConnectOptions = { ...req.connect, maxPartBytes: req.maxPartBytes, loginTimeoutMs: req.connect.loginTimeoutMs ?? req.commandTimeoutMs };
  const client = await connectUnlessCancelled(req.pool ? req.pool.acquire(conn) : connect(conn), req.signal);
  const server = `${req.connect.host}:${req.connect.port ?? defaultPort(req.connect.security)}`;
  const session = new ImapSession(client, () => connect(conn), server, { commandMs: req.commandTimeoutMs, runMs: req.runTimeoutMs }, started);
  let healthy = false;
  // Cancel must not wait for a slow FETCH to finish: closing the connection fails it at once.
  const onAbort = () => session.client.close();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const reports = new Map<string, FolderReport>();
  const parts: CalendarPart[] = [];
  const scans: FolderOutcome[] = [];
  let folders: string[];
  let account = '';
  // With the cache, a feed built from exactly this content of the cached rows (each folder's content
  // key) and settings is reused: merging every cached part again (or even reading them) would cost
  // far more than the re-sync itself. A content key names one content of one folder's rows for these
  // settings (it moves whenever a row that gives the merge something comes or goes, not for plain
  // mail), so a stored feed can never be served for rows it was not built from, whoever wrote them.
  let built: Built | undefined;
  let key: string | undefined;
  const stateOf = () => JSON.stringify(scans.map((s) => [s.folder, s.uidValidity, s.content]));
  try {
    folders = resolveFolders(req.folders, await session.run('listing the folders', (c) => listFolders(c, false)));
    account = `${req.connect.username}@${req.connect.host}:${req.connect.port ?? defaultPort(req.connect.security)}`;
    const scanOpts = { maxPartBytes: req.maxPartBytes, signal: req.signal, onProgress: req.onProgress, filter: req.serverFilter };
    // A part read now, with its text dropped: the merge needs only the prepared record, and a run would
    // otherwise hold every part's text and its prepared components until the end (twice the memory).
    const onPart = (p: CalendarPart) => parts.push(settledPart(p));
    for (const folder of folders) {
      const scan: FolderOutcome = req.cache
        ? await syncFolderCached(session, req.cache, account, folder, { ...scanOpts, full: req.full, lazyUnchanged: true }, onPart)
        : { ...(await scanFolder(session, folder, scanOpts, onPart)), mode: 'stateless' as const, messagesFetched: undefined, messagesExpunged: undefined };
      scans.push(scan);
    }
    if (req.cache && scans.every((s) => s.content !== undefined)) {
      key = feedKey(account, folders, [scanKeyOf({ maxPartBytes: req.maxPartBytes, filter: req.serverFilter })], req);
      const memo = scans.every((s) => s.loadCached) ? req.cache.getFeed(key, stateOf(), decodeMemo) : undefined;
      if (memo) {
        built = memo.built;
        for (const s of scans) {
          // Copies: the reports are extended below, and the memo may serve the next sync too.
          const t = memo.tallies[s.folder];
          // The SEARCH's count changes without the content (plain messages it left out): counted now.
          if (t) Object.assign(s, t, { skipped: [...t.skipped], warnings: [...t.warnings], messagesFilteredOut: t.messagesFilteredOut + (s.searchedOut ?? 0) });
          s.loadCached = undefined;
        }
      }
    }
    // Still connected: rows another process has meanwhile started over cannot be merged, and
    // that folder is synced again instead (filling in what it lacks).
    for (const [i, s] of scans.entries()) {
      try {
        s.loadCached?.();
      } catch (err) {
        if (!(err instanceof CacheConflictError)) throw err;
        scans[i] = await syncFolderCached(session, req.cache!, account, s.folder, { ...scanOpts, lazyUnchanged: false }, onPart);
      }
    }
    healthy = true;
  } catch (err) {
    if (req.signal?.aborted) throw new AppError('CANCELLED', 'The scan was cancelled.');
    if (err instanceof AppError) throw err;
    // The cache failing is not the connection failing.
    if ((err as Error)?.name === 'SqliteError') throw err;
    if (err instanceof ServerFault) throw err.toAppError(server);
    const e = err as { code?: string };
    if (!isConnectionFailure(err, client)) {
      // A bug or a hostile item we failed to contain: say so, never blame the network for it.
      throw new AppError('INTERNAL', `Internal error while scanning ${req.connect.host} (not a connection problem): ${errorMessage(err)}. Nothing was written.`, { server: req.connect.host }, { cause: err });
    }
    throw new AppError('CONNECTION_LOST', `The connection to ${req.connect.host} failed during the scan: ${errorMessage(err)}${e.code ? ` (${e.code})` : ''}. Nothing was written.`, { server: req.connect.host });
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
    session.detach();
    if (req.pool && healthy && !req.signal?.aborted) await req.pool.release(conn, session.client);
    else await disconnect(session.client, Math.min(LOGOUT_TIMEOUT_MS, req.commandTimeoutMs ?? LOGOUT_TIMEOUT_MS));
  }
  for (const scan of scans) {
    reports.set(scan.folder, {
      ...emptyFolderReport(scan.folder),
      messages: scan.messages,
      messagesWithCalendar: scan.messagesWithCalendar,
      bytesDownloaded: scan.bytesDownloaded,
      messagesFilteredOut: scan.messagesFilteredOut,
      syncMode: scan.mode,
      messagesFetched: scan.messagesFetched ?? scan.messages,
      messagesExpunged: scan.messagesExpunged ?? 0,
      skipped: scan.skipped,
      warnings: scan.warnings,
    });
  }
  if (!built) {
    // A long-running process re-merges only what changed since its last build of this feed.
    // The allow-list's senders may change any event; everyone else only the events they organize.
    const opts = { ...req, trustedSenders: req.trustedSenders ?? req.serverFilter?.allowList };
    // Handed over, not shared (see drain): a part the memo does not keep is let go once it is read.
    built = buildCalendar(drain(parts), folders, opts, req.cache && key && !req.cache.oneShot ? req.cache.memo(`merge:${key}`, () => new MergeMemo()) : undefined);
    if (req.cache && key) {
      const tallies: Record<string, Tally> = {};
      for (const s of scans) tallies[s.folder] = { messagesWithCalendar: s.messagesWithCalendar, messagesFilteredOut: s.messagesFilteredOut - (s.searchedOut ?? 0), skipped: [...s.skipped], warnings: [...s.warnings] };
      // Keyed by the revisions the parts were actually read at (a lazy load may see a later one).
      req.cache.putFeed(key, stateOf(), { built, tallies }, encodeMemo);
    }
  }
  const { ics, items, extra } = mergeInto(reports, built);
  // What the cache worked around (nothing lost), said once.
  for (const message of req.cache?.takeNotices() ?? []) extra.push({ folder: 'sync cache', message });
  return { ics, items, report: finishReport(`imap://${req.connect.username}@${req.connect.host}`, started, [...reports.values()], extra) };
}

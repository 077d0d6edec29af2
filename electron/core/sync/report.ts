// The run report: per folder what was read, merged and skipped, plus totals. Built by the sync
// orchestrator, printed by the CLI, shown by the app. Plain JSON-safe data (no BigInt, no Date).
import type { SkippedItem, Warning } from '../model.ts';
import type { BuildResult, FolderMergeStats, MergedItem } from '../ical/build-calendar.ts';

export interface FolderReport extends FolderMergeStats {
  folder: string;
  messages: number;
  messagesWithCalendar: number;
  bytesDownloaded: number;
  /** Messages the server-side filters or the sender allow-list kept out (never downloaded). */
  messagesFilteredOut: number;
  /** How the folder was read: from scratch without a cache, or against the cache. */
  syncMode: 'stateless' | 'full' | 'incremental' | 'unchanged' | 'local';
  /** Messages whose structure was fetched in this run (0 for an unchanged folder). */
  messagesFetched: number;
  messagesExpunged: number;
  skipped: SkippedItem[];
  warnings: Warning[];
}

export interface RunReport {
  source: string;
  startedAt: string;
  wallTimeMs: number;
  bytesDownloaded: number;
  messages: number;
  calendarParts: number;
  eventsOut: number;
  updatesApplied: number;
  cancellationsApplied: number;
  folders: FolderReport[];
  skipped: SkippedItem[];
  warnings: Warning[];
}

export function emptyFolderReport(folder: string): FolderReport {
  return {
    folder, messages: 0, messagesWithCalendar: 0, bytesDownloaded: 0, calendarParts: 0, componentsIn: 0, eventsOut: 0,
    updatesApplied: 0, cancellationsApplied: 0, attendeeTraffic: 0, notIncluded: 0, filteredOut: 0, messagesFilteredOut: 0, syncMode: 'local', messagesFetched: 0, messagesExpunged: 0, skipped: [], warnings: [],
  };
}

export function finishReport(source: string, started: number, folders: FolderReport[], extraWarnings: Warning[], now = Date.now()): RunReport {
  const sum = (k: keyof FolderReport) => folders.reduce((n, f) => n + (f[k] as number), 0);
  return {
    source,
    startedAt: new Date(started).toISOString(),
    wallTimeMs: now - started,
    bytesDownloaded: sum('bytesDownloaded'),
    messages: sum('messages'),
    calendarParts: sum('calendarParts'),
    eventsOut: sum('eventsOut'),
    updatesApplied: sum('updatesApplied'),
    cancellationsApplied: sum('cancellationsApplied'),
    folders,
    skipped: folders.flatMap((f) => f.skipped),
    warnings: [...folders.flatMap((f) => f.warnings), ...extraWarnings],
  };
}

function where(x: { folder: string; uid?: number; file?: string; section?: string; subject?: string }): string {
  const loc = x.file ? x.file : x.uid !== undefined ? `${x.folder} UID ${x.uid}` : x.folder;
  return `${loc}${x.section ? ` part ${x.section}` : ''}${x.subject ? ` "${x.subject}"` : ''}`;
}

export function formatSkipped(s: SkippedItem): string {
  return `skipped ${where(s)}: ${s.reason}`;
}

export function formatWarning(w: Warning): string {
  return `warning ${where(w)}: ${w.message}`;
}

export function formatSummary(r: RunReport): string {
  const lines = r.folders.map(
    (f) =>
      `${f.folder}${f.syncMode === 'local' || f.syncMode === 'stateless' ? '' : ` (${f.syncMode}, ${f.messagesFetched} fetched, ${f.messagesExpunged} expunged)`}: ${f.messages} messages, ${f.calendarParts} calendar parts, ${f.componentsIn} components in, ${f.eventsOut} out, ` +
      `${f.updatesApplied} updates, ${f.cancellationsApplied} cancellations, ${f.skipped.length} skipped` +
      (f.messagesFilteredOut || f.filteredOut ? `, filtered out: ${f.messagesFilteredOut} messages, ${f.filteredOut} events` : ''),
  );
  lines.push(`total: ${r.eventsOut} events written, ${r.skipped.length} skipped, ${r.bytesDownloaded} bytes downloaded, ${(r.wallTimeMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

/** What a build gives the run: its feed and items, and its statistics and problems by folder. */
export type BuiltFeed = Pick<BuildResult, 'ics' | 'items' | 'folders' | 'skipped' | 'warnings'>;

/** Adds the merge statistics to the folder reports; returns the feed and the warnings that belong to no folder. */
export function mergeInto(reports: Map<string, FolderReport>, built: BuiltFeed): { ics: string; items: MergedItem[]; extra: Warning[] } {
  for (const [folder, stats] of built.folders) {
    const r = reports.get(folder) ?? emptyFolderReport(folder);
    reports.set(folder, Object.assign(r, stats));
  }
  for (const s of built.skipped) (reports.get(s.folder) ?? reports.values().next().value)?.skipped.push(s);
  const extra: Warning[] = [];
  for (const w of built.warnings) {
    const r = reports.get(w.folder);
    if (r) r.warnings.push(w);
    else extra.push(w);
  }
  return { ics: built.ics, items: built.items, extra };
}

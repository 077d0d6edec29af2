// Scans one folder read-only (EXAMINE) from scratch, batch by batch, handing on every calendar part.
// Never changes a flag; never holds more than one batch of message metadata.
import { AppError } from '../errors.ts';
import type { CalendarPart, SkippedItem, Warning } from '../model.ts';
import type { ServerFilter } from '../filters/server-filter.ts';
import { scanBatch, type MessageResult } from './message-scan.ts';
import type { ImapSession } from './session.ts';
import { relieveHeap } from '../memory/heap-relief.ts';

export interface ScanProgress {
  folder: string;
  done: number;
  total: number;
  calendarParts: number;
}

export interface ScanOptions {
  /** Calendar parts larger than this (encoded size) are skipped and reported. */
  maxPartBytes: number;
  /** Messages per BODYSTRUCTURE batch. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Server-side SEARCH and sender allow-list; messages that fail them are never downloaded. */
  filter?: ServerFilter;
}

export interface FolderScan {
  folder: string;
  messages: number;
  messagesWithCalendar: number;
  calendarParts: number;
  bytesDownloaded: number;
  messagesFilteredOut: number;
  uidValidity?: string;
  uidNext?: number;
  skipped: SkippedItem[];
  warnings: Warning[];
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The scan was cancelled.');
}

/** Adds one message's outcome to the folder totals and hands on its parts. */
export function tally(scan: FolderScan, m: MessageResult, onPart: (part: CalendarPart) => void): void {
  if (m.filteredOut) scan.messagesFilteredOut += 1;
  if (m.hasCalendar) scan.messagesWithCalendar += 1;
  scan.calendarParts += m.parts.length;
  scan.skipped.push(...m.skipped);
  scan.warnings.push(...m.warnings);
  m.parts.forEach(onPart);
}

export function newFolderScan(folder: string): FolderScan {
  return { folder, messages: 0, messagesWithCalendar: 0, calendarParts: 0, bytesDownloaded: 0, messagesFilteredOut: 0, skipped: [], warnings: [] };
}

/** UIDs as a server listed them, made safe: whole numbers in the UID range, each once, ascending. */
export function cleanUids(list: unknown): number[] {
  const out = new Set<number>();
  for (const u of Array.isArray(list) ? list : []) if (Number.isInteger(u) && u > 0 && u <= 0xffffffff) out.add(u);
  return [...out].sort((a, b) => a - b);
}

export async function scanFolder(session: ImapSession, folder: string, opts: ScanOptions, onPart: (part: CalendarPart) => void): Promise<FolderScan> {
  const scan = newFolderScan(folder);
  const batchSize = opts.batchSize ?? 500;
  const before = session.received();
  try {
    // readOnly: EXAMINE, so the server will not change \Recent or any flag.
    const mailbox = await session.open(folder);
    if (!mailbox) throw new AppError('FOLDER_NOT_FOUND', `Folder "${folder}" could not be opened.`, { folder });
    scan.uidValidity = mailbox.uidValidity?.toString();
    scan.uidNext = mailbox.uidNext;
    // The work is bounded by the UIDs the server lists, not by its EXISTS count: a server claiming
    // 4294967295 messages would otherwise plan millions of FETCHes.
    const filtered = !!opts.filter && !opts.filter.isEmpty;
    const uids = mailbox.exists
      ? cleanUids(await session.run(`searching folder "${folder}"`, (c) => c.search(filtered ? opts.filter!.search : { all: true }, { uid: true })))
      : [];
    scan.messages = filtered ? mailbox.exists : uids.length;
    if (!filtered && uids.length !== mailbox.exists) {
      scan.warnings.push({ folder, message: `the server announced ${mailbox.exists} messages but listed ${uids.length}; the ${uids.length} listed were scanned` });
    }
    if (filtered) scan.messagesFilteredOut = Math.max(0, mailbox.exists - uids.length);
    const total = uids.length;
    opts.onProgress?.({ folder, done: 0, total, calendarParts: 0 });
    for (let start = 0; start < total; start += batchSize) {
      throwIfAborted(opts.signal);
      const end = Math.min(total, start + batchSize);
      for (const m of await scanBatch(session, folder, uids.slice(start, end), opts)) tally(scan, m, onPart);
      // A batch's structures and fetched bytes are garbage now (a 50,000-message folder is 100 batches).
      relieveHeap();
      opts.onProgress?.({ folder, done: end, total, calendarParts: scan.calendarParts });
    }
  } finally {
    session.close();
    scan.bytesDownloaded = session.received() - before;
  }
  return scan;
}

// Scans one folder read-only (EXAMINE) from scratch, batch by batch, handing on every calendar part.
// Never changes a flag; never holds more than one batch of message metadata.
import type { ImapFlow } from 'imapflow';
import { AppError } from '../errors.ts';
import type { CalendarPart, SkippedItem, Warning } from '../model.ts';
import type { ServerFilter } from '../filters/server-filter.ts';
import { scanBatch, type MessageResult } from './message-scan.ts';
import { toSequenceSet } from './sequence-set.ts';

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

export async function scanFolder(client: ImapFlow, folder: string, opts: ScanOptions, onPart: (part: CalendarPart) => void): Promise<FolderScan> {
  const scan = newFolderScan(folder);
  const batchSize = opts.batchSize ?? 500;
  const before = client.stats().received;
  // readOnly makes imapflow send EXAMINE: the server will not change \Recent or any flag.
  const lock = await client.getMailboxLock(folder, { readOnly: true });
  try {
    const mailbox = client.mailbox;
    if (!mailbox) throw new AppError('FOLDER_NOT_FOUND', `Folder "${folder}" could not be opened.`, { folder });
    scan.messages = mailbox.exists;
    scan.uidValidity = mailbox.uidValidity?.toString();
    scan.uidNext = mailbox.uidNext;
    // Without filters, sequence ranges avoid a SEARCH that would list every UID of a big folder.
    const filtered = !!opts.filter && !opts.filter.isEmpty;
    const uids = filtered && mailbox.exists ? ((await client.search(opts.filter!.search, { uid: true })) || []).sort((a, b) => a - b) : [];
    const total = filtered ? uids.length : mailbox.exists;
    if (filtered) scan.messagesFilteredOut = mailbox.exists - uids.length;
    opts.onProgress?.({ folder, done: 0, total, calendarParts: 0 });
    for (let start = 0; start < total; start += batchSize) {
      throwIfAborted(opts.signal);
      const end = Math.min(total, start + batchSize);
      const range = filtered ? toSequenceSet(uids.slice(start, end)) : `${start + 1}:${end}`;
      for (const m of await scanBatch(client, folder, range, filtered, opts)) tally(scan, m, onPart);
      opts.onProgress?.({ folder, done: end, total, calendarParts: scan.calendarParts });
    }
  } finally {
    lock.release();
    scan.bytesDownloaded = client.stats().received - before;
  }
  return scan;
}

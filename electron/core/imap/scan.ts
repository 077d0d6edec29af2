// Scans one folder read-only (EXAMINE): BODYSTRUCTURE for every message in batches, then only the
// calendar sections (BODY.PEEK). Never changes a flag, never issues a command inside a fetch loop.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { AppError } from '../errors.ts';
import type { CalendarPart, SkippedItem, Warning } from '../model.ts';
import { decodePart } from '../mime/decode.ts';
import { findCalendarSections, type CalendarSection } from './body-structure.ts';
import { toSequenceSet } from './sequence-set.ts';
import type { ServerFilter } from '../filters/server-filter.ts';

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

interface MessageMeta {
  uid: number;
  subject?: string;
  from?: string;
  date?: string;
  sections: CalendarSection[];
}

function metaOf(msg: FetchMessageObject, folder: string, scan: FolderScan, maxPartBytes: number): MessageMeta | undefined {
  if (!msg.bodyStructure) return undefined;
  const env = msg.envelope;
  const envDate = env?.date ? new Date(env.date) : undefined;
  const internal = msg.internalDate ? new Date(msg.internalDate) : undefined;
  const date = envDate && !Number.isNaN(envDate.getTime()) ? envDate : internal && !Number.isNaN(internal.getTime()) ? internal : undefined;
  const base = { uid: msg.uid, subject: env?.subject, from: env?.from?.[0]?.address, date: date?.toISOString() };
  const found = findCalendarSections(msg.bodyStructure);
  for (const section of found.tnef) {
    scan.skipped.push({ folder, uid: msg.uid, subject: base.subject, section, reason: 'calendar data in TNEF (winmail.dat), not extracted' });
  }
  const sections: CalendarSection[] = [];
  for (const s of found.calendar) {
    if (s.size > maxPartBytes) {
      scan.skipped.push({ folder, uid: msg.uid, subject: base.subject, section: s.section, reason: `calendar part is ${s.size} bytes, over the limit of ${maxPartBytes} bytes (--max-part-size); not downloaded` });
    } else {
      sections.push(s);
    }
  }
  if (!found.calendar.length) return undefined;
  scan.messagesWithCalendar += 1;
  return sections.length ? { ...base, sections } : undefined;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The scan was cancelled.');
}

export async function scanFolder(client: ImapFlow, folder: string, opts: ScanOptions, onPart: (part: CalendarPart) => void): Promise<FolderScan> {
  const scan: FolderScan = { folder, messages: 0, messagesWithCalendar: 0, calendarParts: 0, bytesDownloaded: 0, messagesFilteredOut: 0, skipped: [], warnings: [] };
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
    const filtered = opts.filter && !opts.filter.isEmpty;
    const uids = filtered && mailbox.exists ? ((await client.search(opts.filter!.search, { uid: true })) || []).sort((a, b) => a - b) : [];
    const total = filtered ? uids.length : mailbox.exists;
    if (filtered) scan.messagesFilteredOut = mailbox.exists - uids.length;
    opts.onProgress?.({ folder, done: 0, total, calendarParts: 0 });
    for (let start = 0; start < total; start += batchSize) {
      throwIfAborted(opts.signal);
      const end = Math.min(total, start + batchSize);
      const range = filtered ? toSequenceSet(uids.slice(start, end)) : `${start + 1}:${end}`;
      const metas: MessageMeta[] = [];
      for await (const msg of client.fetch(range, { uid: true, bodyStructure: true, envelope: true, internalDate: true }, { uid: !!filtered })) {
        if (opts.filter && !opts.filter.senderAllowed(msg.envelope?.from?.[0]?.address)) {
          scan.messagesFilteredOut += 1;
          continue;
        }
        const meta = metaOf(msg, folder, scan, opts.maxPartBytes);
        if (meta) metas.push(meta);
      }
      await downloadSections(client, folder, metas, scan, onPart);
      opts.onProgress?.({ folder, done: end, total, calendarParts: scan.calendarParts });
    }
  } finally {
    lock.release();
    scan.bytesDownloaded = client.stats().received - before;
  }
  return scan;
}

/** Fetches calendar sections, grouping messages that need the same sections into one FETCH. */
async function downloadSections(client: ImapFlow, folder: string, metas: MessageMeta[], scan: FolderScan, onPart: (part: CalendarPart) => void): Promise<void> {
  const groups = new Map<string, MessageMeta[]>();
  for (const m of metas) {
    const key = m.sections.map((s) => s.section).join(' ');
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const bodies = new Map<number, Map<string, Buffer>>();
  for (const [key, group] of groups) {
    const sections = key.split(' ');
    for await (const msg of client.fetch(toSequenceSet(group.map((m) => m.uid)), { uid: true, bodyParts: sections }, { uid: true })) {
      if (msg.bodyParts) bodies.set(msg.uid, msg.bodyParts);
    }
  }
  metas.sort((a, b) => a.uid - b.uid);
  for (const m of metas) {
    const parts = bodies.get(m.uid);
    for (const s of m.sections) {
      const where = { folder, uid: m.uid, subject: m.subject, section: s.section };
      const raw = parts?.get(s.section) ?? parts?.get(s.section.toUpperCase());
      if (!raw) {
        scan.skipped.push({ ...where, reason: 'the server returned no data for this part (message deleted during the scan?)' });
        continue;
      }
      const decoded = decodePart(raw, s.encoding, s.charset);
      for (const w of decoded.warnings) scan.warnings.push({ ...where, message: w });
      if (decoded.text === undefined) {
        scan.skipped.push({ ...where, reason: decoded.error ?? 'could not decode' });
        continue;
      }
      scan.calendarParts += 1;
      onPart({ source: { folder, uid: m.uid, subject: m.subject, from: m.from, date: m.date }, section: s.section, mimeMethod: s.method, text: decoded.text, decodeNotes: decoded.warnings.length ? decoded.warnings : undefined });
    }
  }
}

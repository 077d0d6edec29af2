// Scans one batch of messages of the open folder: BODYSTRUCTURE + ENVELOPE first, then only the
// calendar sections (BODY.PEEK), decoded. Never issues a command inside a fetch loop.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { CalendarPart, SkippedItem, Warning } from '../model.ts';
import { decodePart } from '../mime/decode.ts';
import { findCalendarSections, type CalendarSection } from './body-structure.ts';
import { toSequenceSet } from './sequence-set.ts';
import type { ServerFilter } from '../filters/server-filter.ts';

/** Everything one message contributed: what the cache stores and the report shows. */
export interface MessageResult {
  uid: number;
  subject?: string;
  from?: string;
  date?: string;
  hasCalendar: boolean;
  /** Kept out by the sender allow-list: nothing of it was downloaded. */
  filteredOut: boolean;
  parts: CalendarPart[];
  skipped: SkippedItem[];
  warnings: Warning[];
}

export interface BatchOptions {
  maxPartBytes: number;
  filter?: ServerFilter;
}

interface Pending {
  result: MessageResult;
  sections: CalendarSection[];
}

function examine(msg: FetchMessageObject, folder: string, opts: BatchOptions): Pending {
  const env = msg.envelope;
  const envDate = env?.date ? new Date(env.date) : undefined;
  const internal = msg.internalDate ? new Date(msg.internalDate) : undefined;
  const date = envDate && !Number.isNaN(envDate.getTime()) ? envDate : internal && !Number.isNaN(internal.getTime()) ? internal : undefined;
  const result: MessageResult = {
    uid: msg.uid, subject: env?.subject, from: env?.from?.[0]?.address, date: date?.toISOString(),
    hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [],
  };
  if (opts.filter && !opts.filter.senderAllowed(result.from)) {
    result.filteredOut = true;
    return { result, sections: [] };
  }
  if (!msg.bodyStructure) return { result, sections: [] };
  const where = (section: string) => ({ folder, uid: msg.uid, subject: result.subject, section });
  const found = findCalendarSections(msg.bodyStructure);
  for (const section of found.tnef) result.skipped.push({ ...where(section), reason: 'calendar data in TNEF (winmail.dat), not extracted' });
  result.hasCalendar = found.calendar.length > 0;
  const sections: CalendarSection[] = [];
  for (const s of found.calendar) {
    if (s.size > opts.maxPartBytes) {
      result.skipped.push({ ...where(s.section), reason: `calendar part is ${s.size} bytes, over the limit of ${opts.maxPartBytes} bytes (--max-part-size); not downloaded` });
    } else {
      sections.push(s);
    }
  }
  return { result, sections };
}

/** Scans the messages in `range` (UIDs when byUid, else sequence numbers); results in UID order. */
export async function scanBatch(client: ImapFlow, folder: string, range: string, byUid: boolean, opts: BatchOptions): Promise<MessageResult[]> {
  const pending: Pending[] = [];
  for await (const msg of client.fetch(range, { uid: true, bodyStructure: true, envelope: true, internalDate: true }, { uid: byUid })) {
    pending.push(examine(msg, folder, opts));
  }
  // Messages needing the same sections share one FETCH; others' sections are never requested.
  const groups = new Map<string, number[]>();
  for (const p of pending) {
    if (!p.sections.length) continue;
    const key = p.sections.map((s) => s.section).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), p.result.uid]);
  }
  const bodies = new Map<number, Map<string, Buffer>>();
  for (const [key, uids] of groups) {
    for await (const msg of client.fetch(toSequenceSet(uids), { uid: true, bodyParts: key.split(' ') }, { uid: true })) {
      if (msg.bodyParts) bodies.set(msg.uid, msg.bodyParts);
    }
  }
  pending.sort((a, b) => a.result.uid - b.result.uid);
  for (const { result, sections } of pending) {
    const parts = bodies.get(result.uid);
    for (const s of sections) {
      const where = { folder, uid: result.uid, subject: result.subject, section: s.section };
      const raw = parts?.get(s.section) ?? parts?.get(s.section.toUpperCase());
      if (!raw) {
        result.skipped.push({ ...where, reason: 'the server returned no data for this part (message deleted during the scan?)' });
        continue;
      }
      const decoded = decodePart(raw, s.encoding, s.charset);
      for (const w of decoded.warnings) result.warnings.push({ ...where, message: w });
      if (decoded.text === undefined) {
        result.skipped.push({ ...where, reason: decoded.error ?? 'could not decode' });
        continue;
      }
      result.parts.push({
        source: { folder, uid: result.uid, subject: result.subject, from: result.from, date: result.date },
        section: s.section, mimeMethod: s.method, text: decoded.text,
        decodeNotes: decoded.warnings.length ? decoded.warnings : undefined,
      });
    }
  }
  return pending.map((p) => p.result);
}

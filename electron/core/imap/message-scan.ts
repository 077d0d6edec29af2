// Scans one batch of messages of the open folder by UID: BODYSTRUCTURE first, then only the calendar
// sections (BODY.PEEK, each bounded by its announced size) with their message's ENVELOPE, decoded.
// Takes only answers for UIDs it asked for; never issues a command inside a fetch loop; a message the
// server breaks is reported.
import type { FetchMessageObject, FetchQueryObject } from 'imapflow';
import type { CalendarPart, SkippedItem, Warning } from '../model.ts';
import { decodePart } from '../mime/decode.ts';
import { compactString, sharedString } from '../ical/compact-string.ts';
import { partsFromScan } from '../mime/extract-local.ts';
import { scanMime } from '../mime/mime-scan.ts';
import { FETCH_BYTES_BUDGET } from '../limits.ts';
import { findCalendarSections, type CalendarSection } from './body-structure.ts';
import { ServerFault, type ImapSession } from './session.ts';
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
  /** The server broke a command for this message: not cached, so the next sync tries it again. */
  transient?: boolean;
}

export interface BatchOptions {
  maxPartBytes: number;
  filter?: ServerFilter;
}

interface Pending {
  result: MessageResult;
  sections: CalendarSection[];
  /** BODYSTRUCTURE came back unreadable (NIL): the whole message is read instead, if small enough. */
  whole?: number;
  /** What the structure says cannot be taken: reported once the message's subject is known. */
  notes: Array<{ section?: string; reason: string }>;
  /** Subject, sender and date still to fetch (with the parts, or on their own): only for messages that have something to report. */
  needsHeaders: boolean;
  internalDate?: FetchMessageObject['internalDate'];
}

/** What may be asked for a part: its announced size with room for servers that count a little
 * differently (25%, at least 64 KB), never more than the part limit. More than that is refused. */
export function partBound(announced: number, maxPartBytes: number): number {
  return Math.min(maxPartBytes, announced + Math.max(64 * 1024, Math.ceil(announced / 4)));
}

function describeUids(uids: number[]): string {
  const set = toSequenceSet(uids);
  return set.length <= 40 ? `UID ${set}` : `${uids.length} messages`;
}

/**
 * FETCHes `query` for `uids` and keeps, per UID asked for, the best answer `score` accepts (> 0):
 * unsolicited FETCH responses (flag changes) and answers for UIDs never asked for are dropped. When the
 * server breaks the command, the UIDs not yet answered are fetched one by one after a reconnect; one
 * it breaks alone goes to `onLost`.
 */
async function fetchEach(
  session: ImapSession, what: string, uids: number[], query: FetchQueryObject,
  score: (m: FetchMessageObject) => number, onLost: (uid: number, fault: ServerFault) => void,
): Promise<Map<number, FetchMessageObject>> {
  const asked = new Set(uids);
  const got = new Map<number, { m: FetchMessageObject; s: number }>();
  const take = (m: FetchMessageObject) => {
    if (!Number.isInteger(m.uid) || !asked.has(m.uid)) return;
    const s = score(m);
    if (s > 0 && s > (got.get(m.uid)?.s ?? 0)) got.set(m.uid, { m, s });
  };
  const once = (set: number[]) => session.run(`${what} (${describeUids(set)})`, async (client) => {
    for await (const m of client.fetch(toSequenceSet(set), query, { uid: true })) take(m);
  });
  let retry = false;
  try {
    await once(uids);
  } catch (err) {
    if (!(err instanceof ServerFault)) throw err;
    await session.recover(err);
    if (uids.length === 1) onLost(uids[0], err);
    else retry = true;
  }
  for (const uid of retry ? uids : []) {
    if (got.has(uid)) continue;
    try {
      await once([uid]);
    } catch (err) {
      if (!(err instanceof ServerFault)) throw err;
      await session.recover(err);
      onLost(uid, err);
    }
  }
  return new Map([...got].map(([uid, v]) => [uid, v.m]));
}

/** Subject, sender and date from the ENVELOPE (date: its Date header, else INTERNALDATE). */
function applyHeaders(result: MessageResult, env: FetchMessageObject['envelope'], internalDate: FetchMessageObject['internalDate']): void {
  const envDate = env?.date ? new Date(env.date) : undefined;
  const internal = internalDate ? new Date(internalDate) : undefined;
  const date = envDate && !Number.isNaN(envDate.getTime()) ? envDate : internal && !Number.isNaN(internal.getTime()) ? internal : undefined;
  // Strings of their own: imapflow hands them out as slices of the whole FETCH response line, and a
  // subject kept with every part kept its message's ENVELOPE alive (every To and Cc address, kilobytes each).
  const subject = env?.subject;
  const from = env?.from?.[0]?.address;
  result.subject = typeof subject === 'string' ? compactString(subject) : subject;
  // The sender shared: it repeats across a folder's messages, and every kept calendar part names it.
  result.from = typeof from === 'string' ? sharedString(from) : from;
  result.date = date?.toISOString();
}

/**
 * Whether the ENVELOPE is needed before the parts: only the sender allow-list must see the sender
 * before anything is downloaded. Otherwise it comes with the calendar parts, for the messages that
 * have some (ENVELOPE for every message cost a third more bytes than the calendar parts themselves).
 */
const envelopeFirst = (opts: BatchOptions) => !!opts.filter?.allowList.length;

function examine(msg: FetchMessageObject, opts: BatchOptions): Pending {
  const result: MessageResult = { uid: msg.uid, hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [] };
  const p: Pending = { result, sections: [], notes: [], needsHeaders: false, internalDate: msg.internalDate };
  if (envelopeFirst(opts)) {
    applyHeaders(result, msg.envelope, msg.internalDate);
    if (opts.filter && !opts.filter.senderAllowed(result.from)) {
      result.filteredOut = true;
      return p;
    }
  }
  if (!msg.bodyStructure) {
    const size = msg.size ?? 0;
    if (size > 0 && size <= opts.maxPartBytes) p.whole = size;
    else {
      const why = size > 0 ? `the message is ${size} bytes, over the limit of ${opts.maxPartBytes} bytes (--max-part-size) for reading it whole` : 'the server gave no size for the message, so it was not read whole';
      p.notes.push({ reason: `the server's description of this message's structure could not be read (nested too deeply, or missing), and ${why}; not searched` });
    }
  } else {
    const found = findCalendarSections(msg.bodyStructure);
    for (const u of found.unreachable) p.notes.push({ section: u.section, reason: u.reason });
    for (const section of found.tnef) p.notes.push({ section, reason: 'calendar data in TNEF (winmail.dat), not extracted' });
    result.hasCalendar = found.calendar.length > 0;
    for (const s of found.calendar) {
      if (s.size > opts.maxPartBytes) {
        p.notes.push({ section: s.section, reason: `calendar part is ${s.size} bytes, over the limit of ${opts.maxPartBytes} bytes (--max-part-size); not downloaded` });
      } else {
        p.sections.push(s);
      }
    }
  }
  p.needsHeaders = !envelopeFirst(opts) && (p.sections.length > 0 || p.notes.length > 0 || p.whole !== undefined);
  return p;
}

/** The structure's notes as skipped items, first (as they were found first), now that the subject is known. */
function reportNotes(p: Pending, folder: string): void {
  if (!p.notes.length) return;
  p.result.skipped.unshift(...p.notes.map((n) => ({ folder, uid: p.result.uid, subject: p.result.subject, section: n.section, reason: n.reason })));
  p.notes = [];
}

/** ENVELOPEs of messages that need one but have no part to fetch it with (only something to report, or read whole). */
async function fetchHeaders(session: ImapSession, folder: string, items: Pending[]): Promise<void> {
  if (!items.length) return;
  const byUid = new Map(items.map((p) => [p.result.uid, p]));
  const got = await fetchEach(session, `fetching message headers of folder "${folder}"`, [...byUid.keys()], { uid: true, envelope: true },
    (m) => (m.envelope ? 1 : 0), () => {});
  for (const [uid, m] of got) {
    const p = byUid.get(uid)!;
    applyHeaders(p.result, m.envelope, p.internalDate);
    p.needsHeaders = false;
  }
  // Without its headers (the server broke the command) the message is still reported, by UID.
  for (const p of items) if (p.needsHeaders) applyHeaders(p.result, undefined, p.internalDate);
}

/** Marks everything still wanted from a message as lost to a server fault. */
function lose(p: Pending, folder: string, fault: ServerFault, sections: Array<string | undefined>): void {
  p.result.transient = true;
  for (const section of sections) p.result.skipped.push({ folder, uid: p.result.uid, subject: p.result.subject, section, reason: `${fault.message}; skipped (tried again on the next sync)` });
}

/** Messages whose structure imapflow could not read: the whole message (small enough) is scanned locally. */
async function readWhole(session: ImapSession, folder: string, items: Pending[], opts: BatchOptions): Promise<void> {
  for (const p of items) {
    const bound = partBound(p.whole!, opts.maxPartBytes);
    const byUid = await fetchEach(session, `fetching a whole message of folder "${folder}"`, [p.result.uid], { uid: true, source: { start: 0, maxLength: bound + 1 } },
      (m) => (m.source ? 1 : 0), (_uid, fault) => lose(p, folder, fault, [undefined]));
    const src = byUid.get(p.result.uid)?.source;
    const where = { folder, uid: p.result.uid, subject: p.result.subject };
    if (!src) {
      if (!p.result.transient) p.result.skipped.push({ ...where, reason: 'the server returned no data for this message (deleted during the scan?)' });
      continue;
    }
    if (src.length > bound) {
      p.result.skipped.push({ ...where, reason: `the message is larger than the ${p.whole} bytes the server announced (it sent at least ${src.length}); not taken` });
      continue;
    }
    const scan = await scanMime(src, opts.maxPartBytes);
    const found = partsFromScan(scan, { folder, uid: p.result.uid, subject: p.result.subject, from: p.result.from, date: p.result.date }, opts.maxPartBytes);
    p.result.warnings.push({ ...where, message: `the server's description of this message's structure could not be read (nested too deeply); the whole message (${src.length} bytes) was read instead` });
    p.result.hasCalendar = found.hadCalendar;
    p.result.parts.push(...found.parts);
    p.result.skipped.push(...found.skipped);
    p.result.warnings.push(...found.warnings);
  }
}

/** One FETCH per run of messages needing the same sections, each run within the byte budget. */
function partRequests(pending: Pending[], maxPartBytes: number): Array<{ sections: string[]; bounds: number[]; items: Pending[] }> {
  const groups = new Map<string, Pending[]>();
  for (const p of pending) {
    if (!p.sections.length) continue;
    const key = p.sections.map((s) => s.section).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: Array<{ sections: string[]; bounds: number[]; items: Pending[] }> = [];
  for (const [key, items] of groups) {
    const sections = key.split(' ');
    let cur: { sections: string[]; bounds: number[]; items: Pending[] } | undefined;
    let bytes = 0;
    for (const p of items) {
      const own = p.sections.map((s) => partBound(s.size, maxPartBytes));
      const cost = own.reduce((a, b) => a + b, 0);
      if (!cur || bytes + cost > FETCH_BYTES_BUDGET) {
        cur = { sections, bounds: own.map(() => 0), items: [] };
        out.push(cur);
        bytes = 0;
      }
      cur.items.push(p);
      own.forEach((b, i) => (cur!.bounds[i] = Math.max(cur!.bounds[i], b)));
      bytes += cost;
    }
  }
  return out;
}

/**
 * Runs `work` (synchronous) once `pending` has had the chance to send its command, so that the work
 * overlaps the server's answer; `pending` is awaited by the caller (its failure is not lost here).
 */
async function whileServerWorks(pending: Promise<unknown>, work: () => void): Promise<void> {
  pending.catch(() => {});
  await new Promise<void>((resolve) => setImmediate(resolve));
  work();
}

/**
 * Scans the messages with these UIDs; results in UID order (UIDs the server no longer has are left out).
 * `whileParts`: local work to run while the server answers the first FETCH of calendar parts (only
 * messages with calendar parts get one, so the caller knows the batch brings something to merge).
 */
export async function scanBatch(session: ImapSession, folder: string, uids: number[], opts: BatchOptions, whileParts?: () => void): Promise<MessageResult[]> {
  const pending: Pending[] = [];
  const lost: Pending[] = [];
  const first = envelopeFirst(opts);
  const structures = await fetchEach(session, `fetching message structures of folder "${folder}"`, uids, { uid: true, bodyStructure: true, envelope: first, internalDate: true, size: true },
    (m) => (m.bodyStructure ? 4 : 0) + (first && m.envelope ? 2 : 0) + (m.internalDate || m.size !== undefined ? 1 : 0),
    (uid, fault) => {
      const p: Pending = { result: { uid, hasCalendar: false, filteredOut: false, parts: [], skipped: [], warnings: [] }, sections: [], notes: [], needsHeaders: false };
      lose(p, folder, fault, [undefined]);
      lost.push(p);
    });
  for (const msg of structures.values()) pending.push(examine(msg, opts));
  pending.push(...lost);
  await fetchHeaders(session, folder, pending.filter((p) => p.needsHeaders && !p.sections.length));
  for (const p of pending) if (!p.needsHeaders) reportNotes(p, folder);
  await readWhole(session, folder, pending.filter((p) => p.whole), opts);
  const bodies = new Map<number, Map<string, Buffer>>();
  let work = whileParts;
  for (const req of partRequests(pending, opts.maxPartBytes)) {
    const byUid = new Map(req.items.map((p) => [p.result.uid, p]));
    const fetching = fetchEach(session, `fetching calendar parts of folder "${folder}"`, [...byUid.keys()],
      { uid: true, envelope: !first, bodyParts: req.sections.map((key, i) => ({ key, start: 0, maxLength: req.bounds[i] + 1 })) },
      (m) => (req.sections.some((s) => m.bodyParts?.has(s) || m.bodyParts?.has(s.toLowerCase())) ? 1 : 0) + (!first && m.envelope ? 1 : 0),
      (uid, fault) => {
        const p = byUid.get(uid)!;
        if (p.needsHeaders) applyHeaders(p.result, undefined, p.internalDate);
        p.needsHeaders = false;
        reportNotes(p, folder);
        lose(p, folder, fault, p.sections.map((s) => s.section));
        p.sections = [];
      });
    if (work) await whileServerWorks(fetching, work);
    work = undefined;
    const got = await fetching;
    for (const [uid, m] of got) {
      if (m.bodyParts) bodies.set(uid, m.bodyParts);
      const p = byUid.get(uid)!;
      if (p.needsHeaders) {
        applyHeaders(p.result, m.envelope, p.internalDate);
        p.needsHeaders = false;
      }
    }
  }
  // A message the server answered without its parts (deleted meanwhile): reported without headers.
  for (const p of pending) {
    if (p.needsHeaders) applyHeaders(p.result, undefined, p.internalDate);
    p.needsHeaders = false;
    reportNotes(p, folder);
  }
  pending.sort((a, b) => a.result.uid - b.result.uid);
  for (const { result, sections } of pending) {
    const parts = bodies.get(result.uid);
    for (const s of sections) {
      const where = { folder, uid: result.uid, subject: result.subject, section: s.section };
      const raw = parts?.get(s.section) ?? parts?.get(s.section.toLowerCase());
      if (!raw) {
        result.skipped.push({ ...where, reason: 'the server returned no data for this part (message deleted during the scan?)' });
        continue;
      }
      if (raw.length > partBound(s.size, opts.maxPartBytes)) {
        result.skipped.push({ ...where, reason: `the part is larger than the ${s.size} bytes BODYSTRUCTURE announced (the server sent at least ${raw.length}); not taken` });
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

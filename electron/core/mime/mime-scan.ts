// Reads a complete message as a stream of bytes and keeps only its calendar parts (still encoded),
// numbering parts as IMAP does. Never decodes or holds any other part; memory stays bounded by the limits.
import { classifyPart, mimeMethod, partFileName } from './classify.ts';
import { decodeTransferEncoding } from './decode.ts';
import { ByteSink } from './byte-sink.ts';
import type { CalendarSection } from './classify.ts';
import { HeaderBlock, type ContentInfo } from './header-block.ts';
import { MAX_CALENDAR_PARTS_PER_MESSAGE, MAX_HEADER_LINE_BYTES, MAX_MIME_DEPTH, MAX_RFC822_DEPTH } from '../limits.ts';

export interface ScannedCalendar extends CalendarSection {
  /** The encoded body; absent when it is larger than the part limit. */
  raw?: Buffer;
}

export interface ScanProblem {
  /** Undefined for the message as a whole. */
  section?: string;
  reason: string;
  /** True when something was not taken (a skipped item); false for a caveat (a warning). */
  skipped: boolean;
}

export interface MimeScan {
  subject?: string;
  from?: string;
  date?: string;
  calendar: ScannedCalendar[];
  /** Sections of application/ms-tnef (winmail.dat) parts. */
  tnef: string[];
  problems: ScanProblem[];
}

// Why: a delimiter line is "--" + at most 70 characters (RFC 2046) + "--" + transport padding; a body
// line longer than this can never be one and is passed on without being held.
const DELIMITER_PROBE = 1024;
// RFC 2046 allows 70; some senders use longer ones. Anything longer is treated as unusable.
const MAX_BOUNDARY = 200;

interface Capture {
  info: ScannedCalendar;
  chunks: ByteSink;
  /** Over the part limit: chunks dropped, size still counted. */
  over: boolean;
  /** A message/rfc822 sent with base64 or quoted-printable: scanned after decoding. */
  encodedMessage?: boolean;
}

interface Entity {
  /** Section of this entity; '' for the top-level message. An attached message shares its wrapper's. */
  section: string;
  /** The root of a message (top-level or attached): a non-multipart body is numbered section + ".1". */
  isMessage: boolean;
  depth: number;
  rfc822Depth: number;
  inDigest: boolean;
  headers?: HeaderBlock;
  capture?: Capture;
  multipart?: { boundary: string; subtype: string; children: number; closed: boolean };
}

const join = (a: string, b: string | number) => (a ? `${a}.${b}` : String(b));
const CR = 0x0d;
const LF = 0x0a;
const CRLF_BYTES = Buffer.from('\r\n');
const LF_BYTES = Buffer.from('\n');

export class MimeScanner {
  private readonly stack: Entity[];
  private readonly out: MimeScan = { calendar: [], tnef: [], problems: [] };
  private calendarCount = 0;
  // Line framing: the start of the current line (bounded), and whether it outgrew the bound.
  private parts: Buffer[] = [];
  private partsLen = 0;
  private long: { prefix: string; total: number } | undefined;
  private heldCR = false;
  /** Terminator length (1: LF, 2: CRLF) of the previous body line: it belongs to the body only if
   * no delimiter follows. */
  private pendingTerm = 0;

  constructor(private readonly maxPartBytes: number, base?: { section: string; depth: number; rfc822Depth: number }) {
    this.stack = [{ section: base?.section ?? '', isMessage: true, depth: base?.depth ?? 0, rfc822Depth: base?.rfc822Depth ?? 0, inDigest: false, headers: new HeaderBlock(!base) }];
  }

  private get top(): Entity {
    return this.stack[this.stack.length - 1];
  }

  private problem(section: string, reason: string, skipped: boolean): void {
    this.out.problems.push({ section: section || undefined, reason, skipped });
  }

  write(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl < 0 ? buf.length : nl + 1;
      this.piece(buf.subarray(pos, end), nl >= 0);
      pos = end;
    }
  }

  end(): MimeScan {
    if (this.long) this.endLongLine(Buffer.alloc(0));
    else if (this.partsLen) this.fullLine(Buffer.concat(this.parts));
    this.parts = [];
    this.partsLen = 0;
    while (this.stack.length) this.finish(this.stack.pop()!);
    return this.out;
  }

  // ---- line framing -------------------------------------------------------------------------

  private keep(): number {
    return this.top.headers ? MAX_HEADER_LINE_BYTES + 2 : DELIMITER_PROBE;
  }

  private piece(p: Buffer, complete: boolean): void {
    if (this.long) {
      if (complete) this.endLongLine(p);
      else this.longBody(p);
      return;
    }
    if (this.partsLen + p.length <= this.keep()) {
      if (!complete) {
        this.parts.push(Buffer.from(p)); // a copy: the chunk may be reused by the reader
        this.partsLen += p.length;
        return;
      }
      const line = this.partsLen ? Buffer.concat([...this.parts, p]) : p;
      this.parts = [];
      this.partsLen = 0;
      this.fullLine(line);
      return;
    }
    // Too long to be a delimiter or a header field we keep: pass it on without holding it.
    const start = Buffer.concat([...this.parts, p]);
    this.parts = [];
    this.partsLen = 0;
    this.long = { prefix: start.subarray(0, 200).toString('latin1'), total: 0 };
    if (complete) return this.endLongLine(start);
    this.longBody(start);
  }

  private longBody(p: Buffer): void {
    const long = this.long!;
    const data = this.heldCR ? Buffer.concat([Buffer.from([CR]), p]) : p;
    this.heldCR = data.length > 0 && data[data.length - 1] === CR;
    const body = this.heldCR ? data.subarray(0, data.length - 1) : data;
    long.total += body.length;
    if (!this.top.headers) this.bodyBytes(body);
  }

  private endLongLine(p: Buffer): void {
    const long = this.long!;
    const data = this.heldCR ? Buffer.concat([Buffer.from([CR]), p]) : p;
    this.heldCR = false;
    this.long = undefined;
    const term = terminatorLength(data);
    const body = data.subarray(0, data.length - term);
    long.total += body.length;
    if (this.top.headers) {
      this.top.headers.line(long.prefix, long.total);
      return;
    }
    this.bodyBytes(body);
    this.pendingTerm = term;
  }

  private fullLine(line: Buffer): void {
    const term = terminatorLength(line);
    const content = line.subarray(0, line.length - term);
    if (content.length >= 3 && content[0] === 0x2d && content[1] === 0x2d && this.delimiter(content.toString('latin1'))) return;
    const e = this.top;
    if (e.headers) {
      if (content.length === 0) this.headersDone(e);
      else e.headers.line(content.toString('latin1'), content.length);
      return;
    }
    this.bodyBytes(content);
    this.pendingTerm = term;
  }

  private bodyBytes(b: Buffer): void {
    const cap = this.top.capture;
    if (this.pendingTerm) {
      const t = this.pendingTerm === 2 ? CRLF_BYTES : LF_BYTES;
      this.pendingTerm = 0;
      if (cap) this.captureBytes(cap, t);
    }
    if (cap && b.length) this.captureBytes(cap, b);
  }

  private captureBytes(cap: Capture, b: Buffer): void {
    cap.info.size += b.length;
    if (cap.over) return;
    if (cap.info.size > this.maxPartBytes) {
      cap.over = true;
      cap.chunks.clear();
      return;
    }
    cap.chunks.push(b);
  }

  // ---- structure ----------------------------------------------------------------------------

  /** Handles a line that may be a delimiter of an open multipart (innermost first). */
  private delimiter(text: string): boolean {
    const s = text.replace(/[ \t]+$/, '');
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const mp = this.stack[k].multipart;
      if (!mp || mp.closed) continue;
      const open = s === `--${mp.boundary}`;
      if (!open && s !== `--${mp.boundary}--`) continue;
      while (this.stack.length - 1 > k) this.finish(this.stack.pop()!);
      this.pendingTerm = 0; // the line end before a delimiter belongs to the delimiter
      const owner = this.stack[k];
      if (!open) {
        mp.closed = true;
        return true;
      }
      mp.children += 1;
      this.stack.push({
        section: join(owner.section, mp.children), isMessage: false, depth: owner.depth + 1, rfc822Depth: owner.rfc822Depth,
        inDigest: mp.subtype === 'digest', headers: new HeaderBlock(false),
      });
      return true;
    }
    return false;
  }

  private headersDone(e: Entity): void {
    const headers = e.headers!;
    e.headers = undefined;
    const info = headers.content(e.inDigest);
    const at = e.isMessage && !info.type.startsWith('multipart/') ? join(e.section, 1) : e.section;
    if (e.section === '' && e.isMessage && e.depth === 0 && this.stack.length === 1) Object.assign(this.out, headers.envelope());
    for (const d of headers.dropped) {
      const what = d.reason === 'line' ? `a ${d.name} header line of ${d.bytes} bytes (over the limit of ${MAX_HEADER_LINE_BYTES} bytes) was ignored` : `the ${d.name} header was ignored: the header block is over its size limit`;
      const mime = d.name.startsWith('content-');
      this.problem(at, mime ? `${what}, so this part's type or encoding is unknown; not searched for calendar data` : what, mime);
    }
    if (info.type.startsWith('multipart/')) return this.openMultipart(e, info);
    if (info.type === 'message/rfc822' || info.type === 'message/global') return this.openMessage(e, info, at);
    this.openLeaf(at, info, e);
  }

  private openMultipart(e: Entity, info: ContentInfo): void {
    const boundary = info.parameters.boundary;
    const name = info.type;
    if (!boundary || boundary.length > MAX_BOUNDARY) {
      this.problem(e.section, `${name} without a usable boundary (${boundary ? 'too long' : 'none given'}): its parts cannot be told apart; not searched`, true);
      return;
    }
    if (e.depth >= MAX_MIME_DEPTH) {
      this.problem(e.section, `${name} nested more than ${MAX_MIME_DEPTH} levels deep; its parts were not searched`, true);
      return;
    }
    e.multipart = { boundary, subtype: name.slice('multipart/'.length), children: 0, closed: false };
  }

  private openMessage(e: Entity, info: ContentInfo, at: string): void {
    if (e.rfc822Depth >= MAX_RFC822_DEPTH || e.depth >= MAX_MIME_DEPTH) {
      const why = e.rfc822Depth >= MAX_RFC822_DEPTH ? `more than ${MAX_RFC822_DEPTH} attached messages deep` : `nested more than ${MAX_MIME_DEPTH} levels deep`;
      this.problem(at, `attached message ${why}; not searched`, true);
      return;
    }
    const enc = info.encoding ?? '7bit';
    if (enc === 'base64' || enc === 'quoted-printable') {
      // Not allowed by RFC 2046, but sent: decode it whole (within the part limit), then scan it.
      e.capture = { info: { section: at, type: info.type, encoding: enc, size: 0 }, chunks: new ByteSink(), over: false, encodedMessage: true };
      return;
    }
    this.stack.push({ section: at, isMessage: true, depth: e.depth + 1, rfc822Depth: e.rfc822Depth + 1, inDigest: false, headers: new HeaderBlock(false) });
  }

  private openLeaf(at: string, info: ContentInfo, e: Entity): void {
    const kind = classifyPart(info);
    if (kind === 'tnef') this.out.tnef.push(at);
    if (kind !== 'calendar') return;
    this.calendarCount += 1;
    if (this.calendarCount > MAX_CALENDAR_PARTS_PER_MESSAGE) {
      if (this.calendarCount === MAX_CALENDAR_PARTS_PER_MESSAGE + 1) this.problem(at, `the message has more than ${MAX_CALENDAR_PARTS_PER_MESSAGE} calendar parts; this one and all later ones were not read`, true);
      return;
    }
    e.capture = {
      info: { section: at, type: info.type, encoding: info.encoding, charset: info.parameters.charset, method: mimeMethod(info), filename: partFileName(info), size: 0 },
      chunks: new ByteSink(), over: false,
    };
  }

  private finish(e: Entity): void {
    // A top-level header block that never ended (no body at all) still names the message.
    if (e.headers && this.stack.length === 0 && e.section === '' && e.isMessage) Object.assign(this.out, e.headers.envelope());
    if (e.multipart && e.multipart.children === 0) {
      this.problem(e.section, `multipart/${e.multipart.subtype} without a usable boundary ("${e.multipart.boundary}" never occurs in it): its parts cannot be told apart; not searched`, true);
    }
    const cap = e.capture;
    if (!cap) return;
    if (cap.encodedMessage) return this.scanEncodedMessage(e, cap);
    this.out.calendar.push({ ...cap.info, raw: cap.over ? undefined : cap.chunks.bytes() });
  }

  private scanEncodedMessage(e: Entity, cap: Capture): void {
    if (cap.over) {
      this.problem(cap.info.section, `attached message (${cap.info.encoding}) is ${cap.info.size} bytes, over the limit of ${this.maxPartBytes} bytes (--max-part-size); not searched`, true);
      return;
    }
    const warnings: string[] = [];
    const bytes = decodeTransferEncoding(cap.chunks.bytes(), cap.info.encoding, warnings).bytes;
    if (!bytes) {
      this.problem(cap.info.section, `attached message could not be decoded (${cap.info.encoding}); not searched`, true);
      return;
    }
    const inner = new MimeScanner(this.maxPartBytes, { section: cap.info.section, depth: e.depth + 1, rfc822Depth: e.rfc822Depth + 1 });
    inner.calendarCount = this.calendarCount;
    inner.write(bytes);
    const found = inner.end();
    this.calendarCount = inner.calendarCount;
    this.out.calendar.push(...found.calendar);
    this.out.tnef.push(...found.tnef);
    this.out.problems.push(...found.problems);
  }
}

function terminatorLength(line: Buffer): number {
  const n = line.length;
  if (n && line[n - 1] === LF) return n > 1 && line[n - 2] === CR ? 2 : 1;
  return 0;
}

/** Scans a whole message (bytes, or a stream of chunks as read from a file). */
export async function scanMime(source: Uint8Array | AsyncIterable<Uint8Array>, maxPartBytes: number): Promise<MimeScan> {
  const scanner = new MimeScanner(maxPartBytes);
  if (source instanceof Uint8Array) scanner.write(source);
  else for await (const chunk of source) scanner.write(chunk);
  return scanner.end();
}

// Collects one MIME header block line by line within fixed limits and reads what the scan needs from
// it (Content-Type, encoding, disposition; Subject/From/Date at the top). Never holds an oversized field.
import libmime from 'libmime';
import { addressParser, decodeWords } from 'postal-mime';
import { MAX_HEADER_BLOCK_BYTES, MAX_HEADER_LINE_BYTES } from '../limits.ts';

export interface ContentInfo {
  /** Lower-case type/subtype; the RFC 2045 default (text/plain, or message/rfc822 in a digest) if absent. */
  type: string;
  parameters: Record<string, string>;
  dispositionParameters: Record<string, string>;
  encoding?: string;
}

/** A header field that was not kept, and why (reported by the caller). */
export interface DroppedField {
  name: string;
  bytes: number;
  reason: 'line' | 'block';
}

const MIME_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition']);
const TOP_FIELDS = new Set(['subject', 'from', 'date']);

export class HeaderBlock {
  private fields: Array<{ name: string; value: string }> = [];
  private current: { name: string; parts: string[]; bytes: number } | undefined;
  /** Name and size of a field being skipped because it outgrew the limit. */
  private skipping: { name: string; bytes: number; reason: DroppedField['reason'] } | undefined;
  private blockBytes = 0;
  readonly dropped: DroppedField[] = [];

  constructor(private readonly keepTopFields: boolean) {}

  /** Only the fields the scan reads are kept; the others cost nothing beyond their line. */
  private wanted(name: string): boolean {
    return MIME_FIELDS.has(name) || (this.keepTopFields && TOP_FIELDS.has(name));
  }

  /**
   * One physical header line without its terminator. `total` is the line's real length: lines longer
   * than the kept prefix arrive cut (`text` is then a prefix only).
   */
  line(text: string, total: number): void {
    const continuation = text.charCodeAt(0) === 0x20 || text.charCodeAt(0) === 0x09;
    if (continuation) {
      if (this.skipping) {
        this.skipping.bytes += total;
        return;
      }
      if (!this.current) return;
      this.current.bytes += total;
      if (total > text.length || this.current.bytes > MAX_HEADER_LINE_BYTES) return this.skip(this.current.name, this.current.bytes, 'line');
      this.blockBytes += total;
      if (this.blockBytes > MAX_HEADER_BLOCK_BYTES) return this.skip(this.current.name, this.current.bytes, 'block');
      this.current.parts.push(text);
      return;
    }
    this.flush();
    const colon = text.indexOf(':');
    if (colon <= 0) return; // not a header field (a stray line): carries nothing the scan reads
    const name = text.slice(0, colon).trim().toLowerCase().slice(0, 80);
    if (total > text.length || total > MAX_HEADER_LINE_BYTES) return this.skip(name, total, 'line');
    if (!this.wanted(name)) return;
    // Only kept fields count: they are what is held in memory.
    this.blockBytes += total;
    if (this.blockBytes > MAX_HEADER_BLOCK_BYTES) return this.skip(name, total, 'block');
    this.current = { name, parts: [text.slice(colon + 1)], bytes: total };
  }

  private skip(name: string, bytes: number, reason: DroppedField['reason']): void {
    this.current = undefined;
    this.skipping = { name, bytes, reason };
  }

  private flush(): void {
    if (this.skipping) this.dropped.push(this.skipping);
    this.skipping = undefined;
    if (this.current) this.fields.push({ name: this.current.name, value: this.current.parts.join('').trim() });
    this.current = undefined;
  }

  /** The first occurrence of a field (later duplicates of Content-Type are ignored, as by most readers). */
  get(name: string): string | undefined {
    this.flush();
    return this.fields.find((f) => f.name === name)?.value;
  }

  content(inDigest: boolean): ContentInfo {
    const ct = this.get('content-type');
    const parsed = ct ? safeParse(ct) : undefined;
    let type = parsed?.value.toLowerCase().trim() ?? '';
    // RFC 2045 §5.2: a missing or syntactically invalid Content-Type means text/plain.
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) type = inDigest && !ct ? 'message/rfc822' : 'text/plain';
    const disposition = this.get('content-disposition');
    const encoding = this.get('content-transfer-encoding')?.trim().toLowerCase();
    return {
      type,
      parameters: parsed?.params ?? {},
      dispositionParameters: (disposition ? safeParse(disposition)?.params : undefined) ?? {},
      encoding: encoding || undefined,
    };
  }

  /** Subject, first From address and Date of a message's top-level header. */
  envelope(): { subject?: string; from?: string; date?: string } {
    const subject = this.get('subject');
    const from = this.get('from');
    const date = this.get('date');
    let address: string | undefined;
    try {
      const first = from ? addressParser(from)[0] : undefined;
      address = first ? ('address' in first && first.address ? first.address : 'group' in first ? first.group?.[0]?.address : undefined) : undefined;
    } catch {
      address = undefined;
    }
    const when = date ? new Date(date) : undefined;
    return {
      subject: subject !== undefined ? safeDecodeWords(subject) : undefined,
      from: address || undefined,
      date: when && !Number.isNaN(when.getTime()) ? when.toISOString() : undefined,
    };
  }
}

function safeParse(value: string): { value: string; params: Record<string, string> } | undefined {
  try {
    const p = libmime.parseHeaderValue(value, { stripComments: true });
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.params)) {
      // RFC 2231 params come decoded; RFC 2047 words inside quoted params are a common sender habit.
      params[k] = p.decodedParams?.includes(k) ? v : safeDecodeWords(v);
    }
    return { value: p.value, params };
  } catch {
    return undefined;
  }
}

function safeDecodeWords(s: string): string {
  try {
    return decodeWords(s);
  } catch {
    return s;
  }
}

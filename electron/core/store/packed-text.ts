// Large texts in the sync cache (a very large part's prepared record, a big merged feed) are stored
// gzipped, a piece at a time: SQLite and its binding copy a bound value three or four times, and the
// whole JSON of a 200,000-event record (60 MB) beside its buffer was 180 MB at once. Small texts stay
// plain TEXT; a reader takes either.
import { gunzipSync, gzipSync } from 'node:zlib';

/** Texts longer than this are stored gzipped (as a BLOB). Real invitations' records are a few KB;
 * compressing costs ~2 ms per MB at level 1, and iCalendar text shrinks 20-fold. */
export const PACK_ABOVE_CHARS = 256 * 1024;

/** Characters compressed at once: one gzip member each (a reader inflates the members as one text). */
const PIECE_CHARS = 1 << 20;

/** Gathers text and compresses it a piece at a time; never holds more than about a piece uncompressed. */
class Packer {
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly members: Buffer[] = [];
  private scratch: Buffer | undefined;
  length = 0;

  constructor(private readonly above: number) {}

  add(piece: string): void {
    this.pending.push(piece);
    this.pendingChars += piece.length;
    this.length += piece.length;
    if (this.pendingChars >= PIECE_CHARS) this.compress(false);
  }

  /** Compresses what is pending, keeping back a lone high surrogate at its end (it belongs to the next piece). */
  private compress(last: boolean): void {
    let text = this.pending.join('');
    let carry = '';
    const end = text.charCodeAt(text.length - 1);
    if (!last && end >= 0xd800 && end <= 0xdbff) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    this.pending = carry ? [carry] : [];
    this.pendingChars = carry.length;
    if (!text) return;
    // Encoded into one reused buffer: fresh ones per piece would all stay allocated until V8 next
    // collects (it does not count them), 25 MB of them for a 25 MB feed.
    const need = Buffer.byteLength(text, 'utf8');
    if (!this.scratch || this.scratch.length < need) this.scratch = Buffer.allocUnsafe(Math.max(need, PIECE_CHARS * 3));
    const n = this.scratch.write(text, 'utf8');
    this.members.push(gzipSync(this.scratch.subarray(0, n), { level: 1 }));
  }

  done(): string | Buffer {
    if (!this.members.length && this.length <= this.above) return this.pending.join('');
    this.compress(true);
    return Buffer.concat(this.members);
  }
}

/** The value to bind for `text`: the text itself, or gzipped when it is long. */
export function packText(text: string, above = PACK_ABOVE_CHARS): string | Buffer {
  if (text.length <= above) return text;
  const p = new Packer(above);
  for (let at = 0; at < text.length; at += PIECE_CHARS) p.add(text.slice(at, at + PIECE_CHARS));
  return p.done();
}

/** Elements of arrays at least this long (a record's components) are written whole, one by one; shorter
 * arrays are descended into (a message's few parts, one of which may hold 200,000 components). */
const LONG_ARRAY = 64;

/**
 * JSON.stringify(value) in pieces (same text): plain objects and arrays are descended into, down to
 * arrays of LONG_ARRAY or more elements, whose elements are written whole one by one.
 */
function* jsonPieces(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i) yield ',';
      const el: unknown = value[i];
      // As JSON.stringify writes an element it cannot represent (undefined, a function).
      if (el === undefined || typeof el === 'function' || typeof el === 'symbol') yield 'null';
      else if (value.length >= LONG_ARRAY) yield JSON.stringify(el) ?? 'null';
      else yield* jsonPieces(el);
    }
    yield ']';
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value)) {
    yield '{';
    let first = true;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      yield* jsonPieces(v);
    }
    yield '}';
    return;
  }
  const whole = JSON.stringify(value);
  yield whole === undefined ? 'null' : whole;
}

/**
 * JSON.stringify(value), packed as packText packs it, without ever holding the whole JSON text;
 * `length` is the JSON's length in characters.
 */
export function packJson(value: unknown, above = PACK_ABOVE_CHARS): { packed: string | Buffer; length: number } {
  const p = new Packer(above);
  for (const piece of jsonPieces(value)) p.add(piece);
  return { packed: p.done(), length: p.length };
}

/** The text of a stored value (TEXT as is, a BLOB inflated); throws for a BLOB that is not gzip data. */
export function unpackText(value: string | Uint8Array): string {
  if (typeof value === 'string') return value;
  return gunzipSync(value).toString('utf8');
}

// Large texts in the sync cache (a very large part's prepared record, a big merged feed) are stored
// deflated: SQLite and its binding copy a bound value three or four times, which for an 18 MB record
// was 76 MB of native memory at once. Small texts stay plain TEXT; a reader takes either.
import { deflateSync, inflateSync } from 'node:zlib';

/** Texts longer than this are stored deflated (as a BLOB). Real invitations' records are a few KB;
 * deflating costs ~2 ms per MB at level 1, and iCalendar text shrinks 20-fold. */
export const PACK_ABOVE_CHARS = 256 * 1024;

/** The value to bind for `text`: the text itself, or its UTF-8 deflated when it is long. */
export function packText(text: string, above = PACK_ABOVE_CHARS): string | Buffer {
  if (text.length <= above) return text;
  return deflateSync(Buffer.from(text, 'utf8'), { level: 1 });
}

/** The text of a stored value (TEXT as is, a BLOB inflated); throws for a BLOB that is not deflate data. */
export function unpackText(value: string | Uint8Array): string {
  if (typeof value === 'string') return value;
  return inflateSync(value).toString('utf8');
}

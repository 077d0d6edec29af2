// A flat, stand-alone copy of a string, for the few strings a prepared part keeps for the whole run.
// Never changes the text, but for a lone surrogate, which becomes U+FFFD (as it would in the feed,
// written as UTF-8); costs one copy (a shared one, once per distinct text).

/**
 * ical.js builds component text by concatenation and takes values as slices of its input: V8 keeps
 * such strings as trees of pieces, or as windows onto the whole text parsed. Kept for 200,000 events,
 * that was 1 KB per event (the pieces) plus every parsed slice; a flat copy is the text's own size.
 */
export function compactString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** What sharedString keeps: distinct texts, their characters in all (the pool starts over past
 * either), and the longest text it shares (longer ones are only copied). Real zones are 1-10 KB; the
 * bounds keep a hostile run of thousands of large distinct zones from staying in memory after it. */
const SHARED_STRINGS = 4_096;
const SHARED_CHARS = 8 * 1024 * 1024;
const SHARED_MAX_CHARS = 64 * 1024;
const shared = new Map<string, string>();
let sharedChars = 0;

/**
 * One flat copy of a text many parts repeat (the same VTIMEZONE in every invitation of an
 * organisation: 10,000 copies of it were 10 MB of a 50,000-message scan), shared by all of them.
 */
export function sharedString(s: string): string {
  const known = shared.get(s);
  if (known !== undefined) return known;
  const flat = compactString(s);
  if (flat.length > SHARED_MAX_CHARS) return flat;
  if (shared.size >= SHARED_STRINGS || sharedChars + flat.length > SHARED_CHARS) {
    shared.clear();
    sharedChars = 0;
  }
  shared.set(flat, flat);
  sharedChars += flat.length;
  return flat;
}

/** Lists sharedList keeps (the pool starts over past it), and the longest list it shares, as JSON: real
 * TZID lists are a few dozen characters; longer ones (hostile, or a component naming dozens of zones)
 * are only copied, so the pool holds at most 256 KB of keys whatever the mail. */
const SHARED_LISTS = 1_024;
const SHARED_LIST_MAX_CHARS = 256;
const sharedLists = new Map<string, readonly string[]>();

/**
 * One frozen list of shared strings for every equal list (the TZIDs of a component: ['Europe/Berlin']
 * in every invitation of an organisation), where each kept component had an array of its own (56 bytes).
 * For lists nobody changes: a record is read by many and changed by none.
 */
export function sharedList(list: readonly string[]): string[] {
  const key = JSON.stringify(list);
  const known = sharedLists.get(key);
  if (known !== undefined) return known as string[];
  const made = Object.freeze(list.map(sharedString));
  if (key.length > SHARED_LIST_MAX_CHARS) return made as string[];
  if (sharedLists.size >= SHARED_LISTS) sharedLists.clear();
  sharedLists.set(key, made);
  return made as string[];
}

// A flat, stand-alone copy of a string, for the few strings a prepared part keeps for the whole run.
// Never changes the text; costs one copy.

/**
 * ical.js builds component text by concatenation and takes values as slices of its input: V8 keeps
 * such strings as trees of pieces, or as windows onto the whole text parsed. Kept for 200,000 events,
 * that was 1 KB per event (the pieces) plus every parsed slice; a flat copy is the text's own size.
 */
export function compactString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

// A calendar part as a run keeps it once read: its prepared record, without its text, in the one
// hidden class every kept part shares.
import type { CalendarPart } from '../model.ts';
import { PREPARED_VERSION, preparePart } from './prepare.ts';

/**
 * The part with its record and without its text (the merge reads only the record), as kept for the rest
 * of a run. A part as the scans make it is written out key by key: `{ ...part, text: '', prepared }` gave
 * every kept part a hidden class of its own (V8 copies a spread object's map, and adding `prepared` to
 * the copy makes a new map each time: with its descriptors, ~290 bytes per part, 3 MB of a
 * 50,000-message scan). The same keys in the same order either way.
 */
export function settledPart(part: CalendarPart): CalendarPart {
  if (part.prepared?.v === PREPARED_VERSION) return part;
  const prepared = preparePart(part);
  const { source, section, mimeMethod, decodeNotes } = part;
  if (SCANNED_PART_KEYS.test(Object.keys(part).join(','))) return { source, section, mimeMethod, text: '', decodeNotes, prepared };
  return { ...part, text: '', prepared };
}

/** The keys of a part as message-scan.ts and extract-local.ts make it. */
const SCANNED_PART_KEYS = /^source,section,mimeMethod,text,decodeNotes(?:,prepared)?$/;

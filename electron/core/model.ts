// Data shapes shared by every stage of the pipeline: where a calendar part came from, what was
// extracted, what was skipped. Plain data only (no classes), so they serialize into reports.
import type { PreparedPart } from './ical/prepare.ts';

/** Where one calendar part came from: a folder+UID on a server, or a local file. */
export interface SourceRef {
  /** Folder name on the server, or 'maildir:NAME' / 'mbox' / 'eml' for local sources. */
  folder: string;
  /** IMAP UID, or the ordinal of the message in a local source. */
  uid: number;
  /** Local file holding the message (local sources only). */
  file?: string;
  subject?: string;
  from?: string;
  /** Message date: Date header, else INTERNALDATE (ISO string, for JSON). */
  date?: string;
}

/** One decoded iCalendar MIME part, ready to parse. */
export interface CalendarPart {
  source: SourceRef;
  /** MIME section ("2", "1.3", "2.1.2" inside an attached message). */
  section: string;
  /** `method=` parameter of the Content-Type, upper-cased, if any. */
  mimeMethod?: string;
  /** The iCalendar text, decoded to a JS string. */
  text: string;
  /** What decoding noticed (truncated base64, guessed charset): added to the reason if parsing fails. */
  decodeNotes?: string[];
  /** What the merge reads from the text (see ical/prepare.ts); stored with the part by the sync cache. */
  prepared?: PreparedPart;
}

/** Something that was not taken into the calendar, and why. Never fatal to a run. */
export interface SkippedItem {
  folder: string;
  uid?: number;
  file?: string;
  subject?: string;
  section?: string;
  reason: string;
}

/** Something taken in with a caveat (charset guessed, time zone unresolved, …). */
export interface Warning {
  folder: string;
  uid?: number;
  subject?: string;
  section?: string;
  message: string;
}

export function describeSource(ref: { folder: string; uid?: number; file?: string; subject?: string }, section?: string): string {
  const where = ref.file ? `${ref.file}` : `folder "${ref.folder}" UID ${ref.uid}`;
  const part = section ? ` part ${section}` : '';
  const subj = ref.subject ? ` ("${ref.subject}")` : '';
  return `${where}${part}${subj}`;
}

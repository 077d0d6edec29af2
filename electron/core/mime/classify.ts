// Decides from a MIME node's headers alone whether it holds calendar data, so the IMAP scan can
// pick parts from BODYSTRUCTURE without downloading anything. Never looks at the part's content.
import { sharedString } from '../ical/compact-string.ts';

export type PartKind = 'calendar' | 'tnef' | 'message' | 'multipart' | 'other';

/** A calendar part as both scans find it: from BODYSTRUCTURE over IMAP, from the headers locally. */
export interface CalendarSection {
  /** IMAP section number ("1", "2.1", …), the same the server would use. */
  section: string;
  type: string;
  encoding?: string;
  charset?: string;
  method?: string;
  filename?: string;
  /** Encoded size of the part body, in bytes (BODYSTRUCTURE's over IMAP). */
  size: number;
}

export interface MimeNodeInfo {
  /** Content-Type without parameters, e.g. "text/calendar" (any case). */
  type: string;
  parameters?: Record<string, string | undefined>;
  dispositionParameters?: Record<string, string | undefined>;
}

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar', 'application/x-vcalendar']);
const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);
const CALENDAR_NAME = /\.(ics|ical|ifb|icalendar|vcs)$/i;

/** The file name a part carries (Content-Disposition filename, else Content-Type name). */
export function partFileName(node: MimeNodeInfo): string | undefined {
  const name = node.dispositionParameters?.filename ?? node.parameters?.name;
  return name ? name.trim() : undefined;
}

export function classifyPart(node: MimeNodeInfo): PartKind {
  const type = node.type.toLowerCase();
  if (type.startsWith('multipart/')) return 'multipart';
  if (type === 'message/rfc822' || type === 'message/global') return 'message';
  if (CALENDAR_TYPES.has(type)) return 'calendar';
  const name = partFileName(node);
  if (name && CALENDAR_NAME.test(name)) return 'calendar';
  if (TNEF_TYPES.has(type) || (name && /^winmail\.dat$/i.test(name))) return 'tnef';
  return 'other';
}

/** The iTIP method named in the Content-Type (`method=REQUEST`), upper-cased. */
export function mimeMethod(node: MimeNodeInfo): string | undefined {
  const m = node.parameters?.method?.trim();
  // Shared: every calendar part kept for a run holds its method (a handful of distinct values).
  return m ? sharedString(m.toUpperCase()) : undefined;
}

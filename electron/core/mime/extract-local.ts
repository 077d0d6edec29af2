// Finds the calendar parts of one complete message held locally (Maildir, mbox, .eml) with
// postal-mime, including parts of attached messages. Never throws: problems go to the result.
import PostalMime from 'postal-mime';
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { classifyPart } from './classify.ts';
import { decodeCharset, repairC1 } from './decode.ts';

export interface Extraction {
  parts: CalendarPart[];
  skipped: SkippedItem[];
  warnings: Warning[];
  subject?: string;
  hadCalendar: boolean;
}

// Why: an attached message inside an attached message is already rare; deeper is likely hostile.
const MAX_RFC822_DEPTH = 5;

function firstAddress(from: unknown): string | undefined {
  const f = from as { address?: string; group?: Array<{ address?: string }> } | undefined;
  return f?.address ?? f?.group?.[0]?.address;
}

/** fallbackDate (e.g. the file's mtime, like IMAP INTERNALDATE) is used when the Date header is missing. */
export async function extractFromMessage(raw: Uint8Array, ref: SourceRef, maxPartBytes: number, fallbackDate?: Date, depth = 0, sectionPrefix = ''): Promise<Extraction> {
  const out: Extraction = { parts: [], skipped: [], warnings: [], hadCalendar: false };
  let email;
  try {
    email = await PostalMime.parse(raw, { rfc822Attachments: true, maxNestingDepth: 50 });
  } catch (err) {
    out.skipped.push({ folder: ref.folder, uid: ref.uid, file: ref.file, reason: `not a readable mail message: ${(err as Error).message}` });
    return out;
  }
  const date = email.date ? new Date(email.date) : undefined;
  const source: SourceRef = {
    ...ref,
    subject: ref.subject ?? email.subject,
    from: ref.from ?? firstAddress(email.from),
    date: ref.date ?? (date && !Number.isNaN(date.getTime()) ? date.toISOString() : fallbackDate?.toISOString()),
  };
  out.subject = source.subject;
  const where = (section: string) => ({ folder: ref.folder, uid: ref.uid, file: ref.file, subject: source.subject, section });
  let i = 0;
  for (const att of email.attachments) {
    i += 1;
    const section = `${sectionPrefix}${i}`;
    const kind = classifyPart({ type: att.mimeType, parameters: { name: att.filename ?? undefined } });
    if (kind === 'tnef') {
      out.skipped.push({ ...where(section), reason: 'calendar data in TNEF (winmail.dat), not extracted' });
      continue;
    }
    const bytes = typeof att.content === 'string' ? Buffer.from(att.content, 'utf8') : Buffer.from(att.content instanceof ArrayBuffer ? new Uint8Array(att.content) : att.content);
    if (kind === 'message' && depth < MAX_RFC822_DEPTH) {
      const inner = await extractFromMessage(bytes, source, maxPartBytes, undefined, depth + 1, `${section}.`);
      out.parts.push(...inner.parts);
      out.skipped.push(...inner.skipped);
      out.warnings.push(...inner.warnings);
      out.hadCalendar ||= inner.hadCalendar;
      continue;
    }
    if (kind !== 'calendar') continue;
    out.hadCalendar = true;
    if (bytes.length > maxPartBytes) {
      out.skipped.push({ ...where(section), reason: `calendar part is ${bytes.length} bytes, over the limit of ${maxPartBytes} bytes (--max-part-size)` });
      continue;
    }
    const warnings: string[] = [];
    // postal-mime decodes windows-1252 labelled as such with Latin-1 rules; put €, „, – back.
    const text = repairC1(decodeCharset(bytes, undefined, warnings));
    for (const w of warnings) out.warnings.push({ ...where(section), message: w });
    out.parts.push({ source, section, mimeMethod: att.method?.trim().toUpperCase() || undefined, text });
  }
  return out;
}

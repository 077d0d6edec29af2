// Finds the calendar parts of one complete message (a local file, or a whole message fetched over IMAP
// when its structure could not be read), streaming it through the MIME scan. Never throws: problems go
// to the result.
import type { CalendarPart, SkippedItem, SourceRef, Warning } from '../model.ts';
import { decodePart } from './decode.ts';
import { scanMime, type MimeScan } from './mime-scan.ts';

export interface Extraction {
  parts: CalendarPart[];
  skipped: SkippedItem[];
  warnings: Warning[];
  subject?: string;
  hadCalendar: boolean;
}

/** Turns what the scan kept into decoded parts, skipped items and warnings (the same as the IMAP path). */
export function partsFromScan(scan: MimeScan, source: SourceRef, maxPartBytes: number): Extraction {
  const out: Extraction = { parts: [], skipped: [], warnings: [], hadCalendar: scan.calendar.length > 0, subject: source.subject };
  const where = (section?: string) => ({ folder: source.folder, uid: source.uid, file: source.file, subject: source.subject, section });
  for (const p of scan.problems) {
    if (p.skipped) out.skipped.push({ ...where(p.section), reason: p.reason });
    else out.warnings.push({ folder: source.folder, uid: source.uid, subject: source.subject, section: p.section, message: p.reason });
  }
  for (const section of scan.tnef) out.skipped.push({ ...where(section), reason: 'calendar data in TNEF (winmail.dat), not extracted' });
  for (const c of scan.calendar) {
    if (!c.raw) {
      out.skipped.push({ ...where(c.section), reason: `calendar part is ${c.size} bytes, over the limit of ${maxPartBytes} bytes (--max-part-size)` });
      continue;
    }
    const decoded = decodePart(c.raw, c.encoding, c.charset);
    for (const w of decoded.warnings) out.warnings.push({ folder: source.folder, uid: source.uid, subject: source.subject, section: c.section, message: w });
    if (decoded.text === undefined) {
      out.skipped.push({ ...where(c.section), reason: decoded.error ?? 'could not decode' });
      continue;
    }
    out.parts.push({ source, section: c.section, mimeMethod: c.method, text: decoded.text, decodeNotes: decoded.warnings.length ? decoded.warnings : undefined });
  }
  return out;
}

/** fallbackDate (e.g. the file's mtime, like IMAP INTERNALDATE) is used when the Date header is missing. */
export async function extractFromMessage(raw: Uint8Array | AsyncIterable<Uint8Array>, ref: SourceRef, maxPartBytes: number, fallbackDate?: Date): Promise<Extraction> {
  let scan: MimeScan;
  try {
    scan = await scanMime(raw, maxPartBytes);
  } catch (err) {
    // Only reading the source can fail here (the scan itself accepts any bytes).
    return { parts: [], skipped: [{ folder: ref.folder, uid: ref.uid, file: ref.file, reason: `not a readable mail message: ${(err as Error).message}` }], warnings: [], hadCalendar: false };
  }
  const source: SourceRef = {
    ...ref,
    subject: ref.subject ?? scan.subject,
    from: ref.from ?? scan.from,
    date: ref.date ?? scan.date ?? fallbackDate?.toISOString(),
  };
  return partsFromScan(scan, source, maxPartBytes);
}

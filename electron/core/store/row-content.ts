// What a folder's cached rows give a merge, as a key stored feeds are looked up by: it moves when a
// row that is not plain comes, goes or is replaced, never for plain mail. Pure; never reads the file.
import type { MessageResult } from '../imap/message-scan.ts';

/** The folder row's columns the key is made of. */
export interface ContentColumns {
  revision: number;
  complete: number;
  content_revision: number | null;
  content_at: number | null;
}

/**
 * A message that gives a merge nothing, nor its report (no calendar part, nothing skipped or said, not
 * filtered out): most mail. Such rows coming or going leave the merged feed as it was (see tally in imap/scan.ts).
 */
export function isPlain(m: MessageResult): boolean {
  return !m.hasCalendar && !m.filteredOut && m.parts.length === 0 && m.skipped.length === 0 && m.warnings.length === 0;
}

/** Whether a stored row is plain; one that cannot be read counts as not (it may have given the merge something). */
export function plainRow(json: string): boolean {
  try {
    return isPlain(JSON.parse(json) as MessageResult);
  } catch {
    return false;
  }
}

/**
 * The content revision, if the last writer kept it: the revision at which the last row that is not
 * plain was put or removed (or the folder started over or became complete). A writer that does not
 * know it (an older mailbox2ics) moves only the revision, so it is then unknown.
 */
export function knownContent(row: ContentColumns): number | undefined {
  return row.content_at === row.revision && row.content_revision !== null ? row.content_revision : undefined;
}

/**
 * The key: the content revision where known, else the revision itself. Revisions are never reused in a
 * file, so either names exactly one content of the folder's rows.
 */
export function contentKey(row: Omit<ContentColumns, 'complete'>): string {
  const known = knownContent({ ...row, complete: 1 });
  return known !== undefined ? `c${known}` : `r${row.revision}`;
}

/** The content revision after a write that moved the folder from `row` to `revision`: kept only when the write changed nothing a merge reads. */
export function nextContent(row: ContentColumns, revision: number, touched: boolean): number {
  const known = knownContent(row);
  return known !== undefined && !touched && row.complete === 1 ? known : revision;
}

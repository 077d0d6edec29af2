// A sync of local mail (Maildir folders, mbox files, single .eml files): every calendar part read,
// settled and merged like an IMAP folder's, one report per folder.
import type { CalendarPart } from '../model.ts';
import { buildCalendar } from '../ical/build-calendar.ts';
import { settledPart } from '../ical/kept-part.ts';
import { extractFromMessage } from '../mime/extract-local.ts';
import { readEmlFiles, readMaildir, readMbox, type LocalMessage } from '../sources/local-mail.ts';
import { emptyFolderReport, finishReport, mergeInto, type FolderReport } from './report.ts';
import { drain } from '../memory/drain.ts';
import type { MergeSettings, SyncResult } from './run-sync.ts';

export interface LocalSyncRequest extends MergeSettings {
  maildirs?: string[];
  mboxes?: string[];
  emlFiles?: string[];
}

async function* localMessages(req: LocalSyncRequest): AsyncGenerator<LocalMessage> {
  for (const dir of req.maildirs ?? []) yield* readMaildir(dir);
  for (const file of req.mboxes ?? []) yield* readMbox(file);
  if (req.emlFiles?.length) yield* readEmlFiles(req.emlFiles);
}

/** One local message into its folder's report; its parts settled (in a function of its own, so no
 * text outlives it in the caller's frame). */
async function readLocal(msg: LocalMessage, r: FolderReport, maxPartBytes: number): Promise<CalendarPart[]> {
  r.messages += 1;
  r.bytesDownloaded += msg.size;
  const found = await extractFromMessage(msg.open(), { folder: msg.folder, uid: msg.uid, file: msg.file }, maxPartBytes, msg.mtime);
  if (found.hadCalendar) r.messagesWithCalendar += 1;
  r.skipped.push(...found.skipped);
  r.warnings.push(...found.warnings);
  return found.parts.map(settledPart);
}

export async function syncFromLocal(req: LocalSyncRequest): Promise<SyncResult> {
  const started = Date.now();
  const reports = new Map<string, FolderReport>();
  const parts: CalendarPart[] = [];
  for await (const msg of localMessages(req)) {
    let r = reports.get(msg.folder);
    if (!r) reports.set(msg.folder, (r = emptyFolderReport(msg.folder)));
    for (const p of await readLocal(msg, r, req.maxPartBytes)) parts.push(p);
  }
  // Handed over, not shared: the build lets each part go once it has read it (see drain).
  const { ics, items, extra } = mergeInto(reports, buildCalendar(drain(parts), [...reports.keys()], req));
  const label = [...(req.maildirs ?? []), ...(req.mboxes ?? []), ...(req.emlFiles ?? [])].join(', ');
  return { ics, items, report: finishReport(`local: ${label}`, started, [...reports.values()], extra) };
}

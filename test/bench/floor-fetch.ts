// The floors' fetch of new messages (floor-imapflow.ts, floor-resync.ts): structures in batches, then
// the calendar parts (with ENVELOPE) of each batch, grouped by their section numbers, through imapflow
// and nothing of ours but finding the calendar sections in BODYSTRUCTURE.
import type { ImapFlow } from 'imapflow';
import { findCalendarSections } from '../../electron/core/imap/body-structure.ts';

export const FLOOR_BATCH = 500;

/** Fetches the calendar parts of `uids`; returns what was fetched (UIDs and sections) and how many parts came. */
export async function fetchCalendarParts(client: ImapFlow, uids: number[]): Promise<{ fetched: Array<{ uids: number[]; sections: string[] }>; parts: number }> {
  const fetched: Array<{ uids: number[]; sections: string[] }> = [];
  let parts = 0;
  for (let i = 0; i < uids.length; i += FLOOR_BATCH) {
    const batch = uids.slice(i, i + FLOOR_BATCH);
    const want = new Map<string, number[]>();
    for await (const m of client.fetch(batch.join(','), { uid: true, bodyStructure: true, internalDate: true, size: true }, { uid: true })) {
      if (!m.bodyStructure) continue;
      const key = findCalendarSections(m.bodyStructure).calendar.map((s) => s.section).join(' ');
      if (key) want.set(key, [...(want.get(key) ?? []), m.uid]);
    }
    for (const [key, list] of want) {
      const sections = key.split(' ');
      for await (const m of client.fetch(list.join(','), { uid: true, envelope: true, bodyParts: sections }, { uid: true })) parts += m.bodyParts?.size ?? 0;
      fetched.push({ uids: list, sections });
    }
  }
  return { fetched, parts };
}

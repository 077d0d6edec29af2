// What a long-running process keeps of one merge for the next: the entries of each part and the
// result of each UID, reused while their inputs are the same objects.
import type { CalendarPart } from '../model.ts';
import type { Entry } from './merge.ts';
import type { GroupResult } from './group-finish.ts';

/**
 * What one build keeps for the next, so a long-running process (the app, `serve`) that re-merges
 * after a small change derives and merges only what the change touched. A part is recognised by
 * identity (the sync cache hands out the same objects while its rows are unchanged) and reused only
 * while its TZIDs keep their output names and meanings; a UID is re-merged unless exactly the same
 * entries, in the same order, make it up. The output equals a build without a memo (tested).
 */
export class MergeMemo {
  /** The settings and folders the memo was built for: anything else starts afresh. */
  key = '';
  parts = new Map<CalendarPart, { zoneKey: string; entries: Entry[] }>();
  groups = new Map<string, GroupResult>();
  /** What the last build reused and what it had to do again. */
  lastBuild = { partsReused: 0, partsDerived: 0, uidsReused: 0, uidsMerged: 0 };
}

/** Components of one part above which a memo does not keep the part (see buildCalendar). Real
 * invitations have a handful; an exported calendar a few thousand. Re-deriving and merging 5,000
 * components again takes ~0.2 s; keeping them costs ~2.5 KB each for as long as the process runs. */
export const MAX_MEMO_COMPONENTS_PER_PART = 5_000;


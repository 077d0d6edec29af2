// Groups one UID's revisions into the iTIP messages that carried them and decides which messages are
// still current (RFC 5546 §2.1.5, §4.4.7): a whole-series message makes every older message obsolete.
// Never looks at another UID and never changes an entry.
import type { Entry } from './merge.ts';
import { compareRank, type Rank } from './revision.ts';

export interface ItipMessage {
  /** This UID's components from one calendar part, in input order. */
  entries: Entry[];
  /** How new the message is: the rank of its newest component. */
  rank: Rank;
  /** The ORGANIZER it states (the series master's, else its first component's). */
  organizer?: string;
  sentBy?: string;
  /** The mail's From address, lower case; absent for files without one. */
  sender?: string;
  /** Carries the series itself (the master, or the whole of a non-recurring event). */
  series: boolean;
  /** That series component is a cancellation. */
  seriesCancel: boolean;
}

export function isCancelled(e: Entry): boolean {
  return e.method === 'CANCEL' || e.status === 'CANCELLED';
}

/** The messages of one UID's entries, oldest first. */
export function messagesOf(entries: Entry[]): ItipMessage[] {
  // Most UIDs come in one message: no grouping needed.
  if (entries.every((e) => e.msg === entries[0].msg)) return [messageOf(entries)];
  const byMsg = new Map<number, Entry[]>();
  for (const e of entries) {
    const list = byMsg.get(e.msg);
    if (list) list.push(e);
    else byMsg.set(e.msg, [e]);
  }
  const out: ItipMessage[] = [];
  for (const list of byMsg.values()) out.push(messageOf(list));
  return out.sort((a, b) => compareRank(a.rank, b.rank));
}

/** One message from its entries (one calendar part's components of one UID). */
function messageOf(list: Entry[]): ItipMessage {
  let master: Entry | undefined;
  let stated: Entry | undefined;
  let rank = list[0].rank;
  for (const e of list) {
    if (!master && e.recurKey === null && e.method !== 'ADD') master = e;
    if (!stated && e.itip.organizer) stated = e;
    if (compareRank(e.rank, rank) > 0) rank = e.rank;
  }
  if (master?.itip.organizer) stated = master;
  const sender = list[0].source?.from?.trim().toLowerCase();
  const m: ItipMessage = { entries: list, rank, series: master !== undefined, seriesCancel: master !== undefined && isCancelled(master) };
  if (stated?.itip.organizer) m.organizer = stated.itip.organizer;
  if (stated?.itip.sentBy) m.sentBy = stated.itip.sentBy;
  if (sender) m.sender = sender;
  return m;
}

/**
 * The entries still current, in input order. The newest message that carries the series replaces
 * the whole object (RFC 5546 §4.4.7: instance-specific information not repeated in it is lost), so
 * every older message is dropped: overrides, instance cancellations (an out-of-date CANCEL "MUST be
 * ignored", §2.1.5, §4.7.2), additions and range changes. The components of one message stay
 * together, whatever their own SEQUENCE. When that newest series message is a cancellation, older
 * revisions stay (the cancelled copies keep their content and the occurrences are marked too);
 * only older additions and range changes go.
 */
export function currentEntries(messages: ItipMessage[]): Entry[] {
  if (messages.length === 1) return messages[0].entries;
  let series: ItipMessage | undefined;
  for (const m of messages) if (m.series && (!series || compareRank(m.rank, series.rank) > 0)) series = m;
  const newest = series;
  const kept: Entry[] = [];
  for (const m of messages) {
    if (!newest || compareRank(m.rank, newest.rank) >= 0) kept.push(...m.entries);
    else if (newest.seriesCancel) kept.push(...m.entries.filter((e) => e.method !== 'ADD' && !e.itip.range));
  }
  return kept.sort((a, b) => a.rank.order - b.rank.order);
}

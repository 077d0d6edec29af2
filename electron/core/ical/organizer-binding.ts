// Binds an event to the organizer it was established with (RFC 5546 §6.1.1, "Spoofing the
// Organizer"): a later message from anyone else, or naming another organizer, changes nothing and is
// reported. Never rejects the establishing message itself, so no event is lost to this check.
import type { ItipMessage } from './itip-messages.ts';
import { compareRank } from './revision.ts';

export interface Rejection {
  message: ItipMessage;
  reason: string;
}

/** A sender the profile trusts to send on any organizer's behalf (its allow-list). */
export type Trusted = (address: string) => boolean;

/** The message speaks for the organizer it names: sent by it, its SENT-BY, a trusted sender, or a file without a sender. */
function credible(m: ItipMessage, trusted: Trusted): boolean {
  return !m.sender || m.sender === m.organizer || m.sender === m.sentBy || trusted(m.sender);
}

function oldest(list: ItipMessage[]): ItipMessage | undefined {
  return list.reduce<ItipMessage | undefined>((a, m) => (!a || compareRank(m.rank, a.rank) < 0 ? m : a), undefined);
}

/**
 * Splits one UID's messages (oldest first) into those that may change the event and those that may not.
 *
 * "Established": the oldest message (by SEQUENCE, then DTSTAMP, then message date: the order of the
 * mails in the folders does not matter) that names an organizer and speaks for it, one from a
 * trusted sender first; if no message speaks for the organizer it names (all forwarded, say), the
 * oldest that names one. Without any ORGANIZER (published calendars) nothing is bound and every
 * message counts.
 *
 * After that, a message may change the event when it names the bound organizer (or none) and was sent
 * by that organizer, the SENT-BY or the sender of the establishing message, a trusted sender, or
 * comes from a file without a sender. It may hand the event to a new organizer only when the current
 * organizer sent it (delegation, §3.2.2.4): from then on the new organizer is bound.
 */
export function bindOrganizer(messages: ItipMessage[], trusted: Trusted): { accepted: ItipMessage[]; rejected: Rejection[] } {
  // One message establishes the event and changes nothing else; nor do messages that all come from
  // the organizer they all name (the usual case): no one else is in the picture.
  if (messages.length < 2 || messages.every((m) => m.organizer === messages[0].organizer && (!m.sender || m.sender === m.organizer))) return { accepted: messages, rejected: [] };
  const named = messages.filter((m) => m.organizer);
  const speaking = named.filter((m) => credible(m, trusted));
  // A trusted sender's word counts first: an outsider cannot take an event over by backdating.
  const established = oldest(speaking.filter((m) => m.sender && trusted(m.sender))) ?? oldest(speaking) ?? oldest(named);
  if (!established) return { accepted: messages, rejected: [] };
  let bound = established.organizer!;
  let allowed = new Set([bound, established.sentBy, established.sender].filter((a): a is string => !!a));
  const accepted: ItipMessage[] = [];
  const rejected: Rejection[] = [];
  for (const m of messages) {
    if (m === established) {
      accepted.push(m);
      continue;
    }
    const from = m.sender ?? 'a file without a sender';
    if (!m.organizer || m.organizer === bound) {
      if (!m.sender || allowed.has(m.sender) || trusted(m.sender)) accepted.push(m);
      else rejected.push({ message: m, reason: `sent by ${m.sender}, who is neither the event's organizer ${bound} nor a trusted sender (RFC 5546 §6.1.1)` });
    } else if (m.sender === bound) {
      // The current organizer hands the event over (delegation): the new one is bound from now on.
      accepted.push(m);
      bound = m.organizer;
      allowed = new Set([bound, m.sentBy, m.sender].filter((a): a is string => !!a));
    } else {
      rejected.push({ message: m, reason: `names ${m.organizer} as organizer, but the event's organizer is ${bound} and only ${bound} can hand it over; sent by ${from} (RFC 5546 §6.1.1)` });
    }
  }
  return { accepted, rejected };
}

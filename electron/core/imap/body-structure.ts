// Walks an IMAP BODYSTRUCTURE and lists the sections that hold calendar data, including those inside
// attached messages, so only those sections are downloaded; reports what it cannot reach. Never
// downloads anything itself, and never trusts imapflow's part numbers (see sectionOf below).
import type { MessageStructureObject } from 'imapflow';
import { classifyPart, mimeMethod, partFileName, type CalendarSection } from '../mime/classify.ts';
import { MAX_CALENDAR_PARTS_PER_MESSAGE, MAX_MIME_DEPTH, MAX_RFC822_DEPTH } from '../limits.ts';

export type { CalendarSection };

export interface StructureFindings {
  calendar: CalendarSection[];
  /** Sections of application/ms-tnef (winmail.dat) parts: calendar data we cannot extract. */
  tnef: string[];
  /** Parts that could not be searched, and why (reported as skipped items). */
  unreachable: Array<{ section?: string; reason: string }>;
}

const join = (a: string, b: number) => (a ? `${a}.${b}` : String(b));

/**
 * Sections are computed here as RFC 3501 §6.4.5 defines them. imapflow gives the body of a
 * message/rfc822 part its wrapper's number, so a forwarded single-part invitation at "2" would be
 * fetched as BODY[2] (the whole attached message, headers included) instead of BODY[2.1].
 * Each node is walked with its own section and whether it is the root of a message (top-level or
 * attached): a message root that is not multipart has its body at section + ".1".
 */
export function findCalendarSections(root: MessageStructureObject): StructureFindings {
  const found: StructureFindings = { calendar: [], tnef: [], unreachable: [] };
  const lost = (section: string, reason: string) => found.unreachable.push({ section: section || undefined, reason });
  let calendars = 0;
  const walk = (node: MessageStructureObject, section: string, isMessage: boolean, depth: number, rfc822Depth: number) => {
    const type = (node.type ?? '').toLowerCase();
    const at = isMessage && !type.startsWith('multipart/') ? join(section, 1) : section;
    const kind = classifyPart({ type, parameters: node.parameters, dispositionParameters: node.dispositionParameters });
    if (kind === 'multipart') {
      const children = node.childNodes ?? [];
      if (depth >= MAX_MIME_DEPTH) return lost(section, `${type} nested more than ${MAX_MIME_DEPTH} levels deep; its parts were not searched`);
      // Dovecot answers a multipart whose boundary is missing, or never occurs, with one empty part.
      const empty = children.length === 0 || (children.length === 1 && !children[0].childNodes && (children[0].size ?? 0) === 0);
      if (!node.parameters?.boundary || empty) {
        return lost(section, `${type} without a usable boundary (${node.parameters?.boundary ? `"${node.parameters.boundary}" never occurs in it` : 'none given'}): its parts cannot be told apart; not searched`);
      }
      children.forEach((child, i) => walk(child, join(section, i + 1), false, depth + 1, rfc822Depth));
      return;
    }
    if (kind === 'message') {
      const inner = node.childNodes?.[0];
      if (rfc822Depth >= MAX_RFC822_DEPTH) return lost(at, `attached message more than ${MAX_RFC822_DEPTH} attached messages deep; not searched`);
      if (depth >= MAX_MIME_DEPTH) return lost(at, `attached message nested more than ${MAX_MIME_DEPTH} levels deep; not searched`);
      // Without a structure of its own (an encoded attached message), there is nothing to walk.
      if (inner) walk(inner, at, true, depth + 1, rfc822Depth + 1);
      return;
    }
    if (!type || type === '/' || !type.includes('/') || type.startsWith('/') || type.endsWith('/')) {
      // Dovecot reports a part whose header it could not read (e.g. over 10 MB) without any type.
      return lost(at, 'the server reports no content type for this part (its header could not be read, e.g. far too long); not searched');
    }
    if (kind === 'tnef') found.tnef.push(at);
    if (kind !== 'calendar') return;
    calendars += 1;
    if (calendars > MAX_CALENDAR_PARTS_PER_MESSAGE) {
      if (calendars === MAX_CALENDAR_PARTS_PER_MESSAGE + 1) lost(at, `the message has more than ${MAX_CALENDAR_PARTS_PER_MESSAGE} calendar parts; this one and all later ones were not read`);
      return;
    }
    found.calendar.push({
      section: at,
      type,
      encoding: node.encoding,
      charset: node.parameters?.charset,
      method: mimeMethod(node),
      filename: partFileName(node),
      size: node.size ?? 0,
    });
  };
  walk(root, '', true, 0, 0);
  return found;
}

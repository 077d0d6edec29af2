// Walks an IMAP BODYSTRUCTURE and lists the sections that hold calendar data, including those inside
// attached messages, so only those sections are downloaded. Never downloads anything itself.
import type { MessageStructureObject } from 'imapflow';
import { classifyPart, mimeMethod, partFileName } from '../mime/classify.ts';

export interface CalendarSection {
  section: string;
  type: string;
  encoding?: string;
  charset?: string;
  method?: string;
  filename?: string;
  /** Encoded size from BODYSTRUCTURE, in bytes. */
  size: number;
}

export interface StructureFindings {
  calendar: CalendarSection[];
  /** Sections of application/ms-tnef (winmail.dat) parts: calendar data we cannot extract. */
  tnef: string[];
}

// Why: a crafted structure could nest without end; real mail rarely goes beyond 5 levels.
const MAX_DEPTH = 20;

export function findCalendarSections(root: MessageStructureObject): StructureFindings {
  const found: StructureFindings = { calendar: [], tnef: [] };
  const walk = (node: MessageStructureObject, depth: number, fallbackPart: string) => {
    if (depth > MAX_DEPTH) return;
    const section = node.part ?? fallbackPart;
    const kind = classifyPart({ type: node.type, parameters: node.parameters, dispositionParameters: node.dispositionParameters });
    if (kind === 'multipart' || kind === 'message') {
      (node.childNodes ?? []).forEach((child, i) => walk(child, depth + 1, section ? `${section}.${i + 1}` : String(i + 1)));
      return;
    }
    if (kind === 'calendar') {
      found.calendar.push({
        section,
        type: node.type.toLowerCase(),
        encoding: node.encoding,
        charset: node.parameters?.charset,
        method: mimeMethod(node),
        filename: partFileName(node),
        size: node.size ?? 0,
      });
    } else if (kind === 'tnef') {
      found.tnef.push(section);
    }
  };
  // The root multipart has no section of its own (children are 1, 2, …); a single-part body is "1".
  walk(root, 0, root.type.toLowerCase().startsWith('multipart/') ? '' : '1');
  return found;
}

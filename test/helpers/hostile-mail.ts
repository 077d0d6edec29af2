// Writes the hostile mails of the red-team run (issue 12) next to ordinary invitations: structures nested
// past every limit, forwards many levels deep, multiparts without boundaries, huge header lines and parts.
// Test-only; never used by the app. Big messages are written to a file in chunks, never held whole.
import { closeSync, openSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';
import { vcal, vevent } from './mail-builder.ts';

const CRLF = '\r\n';

/** An invitation the hostile items sit next to; `tag` makes its UID and SUMMARY unique. */
export function inviteIcs(tag: string): string {
  return vcal('REQUEST', vevent({ uid: `${tag}@good.example`, summary: `Good ${tag}` }));
}

function head(subject: string, contentType: string, extra: string[] = []): string {
  return [
    'From: Organizer <organizer@example.com>',
    'To: team@example.com',
    `Subject: ${subject}`,
    'Date: Mon, 05 Jan 2026 09:00:00 +0000',
    `Message-ID: <${subject.replace(/[^A-Za-z0-9]/g, '')}.${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
    ...extra,
    `Content-Type: ${contentType}`,
  ].join(CRLF) + CRLF;
}

/** A plain, single-part invitation: the message body is the text/calendar part (section 1). */
export function singlePartInvite(tag: string, subject = `Invitation ${tag}`): Buffer {
  return Buffer.from(head(subject, 'text/calendar; charset=utf-8; method=REQUEST') + CRLF + inviteIcs(tag));
}

/** multipart/mixed: a text part, then the given body parts (each complete with its own headers). */
export function mixed(subject: string, parts: string[], boundary = `mix${Math.random().toString(36).slice(2)}`): Buffer {
  const body = ['--' + boundary, 'Content-Type: text/plain; charset=utf-8', '', 'See the attachment.', ...parts.flatMap((p) => ['--' + boundary, p]), `--${boundary}--`, ''].join(CRLF);
  return Buffer.from(head(subject, `multipart/mixed; boundary="${boundary}"`) + CRLF + body);
}

/** A text/calendar body part (headers + body) for `mixed`. */
export function calendarPart(tag: string): string {
  return ['Content-Type: text/calendar; charset=utf-8; method=REQUEST', 'Content-Transfer-Encoding: 7bit', '', inviteIcs(tag)].join(CRLF);
}

/** A message/rfc822 body part wrapping `inner`. */
export function forwardPart(inner: Buffer): string {
  return ['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="forwarded.eml"', '', inner.toString('latin1')].join(CRLF);
}

/**
 * An invitation forwarded `levels` times (each level a multipart/mixed with the previous message
 * attached). The innermost message is single-part text/calendar, or multipart with the calendar
 * as its second part. Section of the calendar: "2" + ".2" per extra level, then ".1" (single) or ".2".
 */
export function forwarded(tag: string, levels: number, inner: 'single' | 'multipart'): Buffer {
  let msg = inner === 'single' ? singlePartInvite(tag, `Original ${tag}`) : mixed(`Original ${tag}`, [calendarPart(tag)]);
  for (let i = 0; i < levels; i++) msg = mixed(`Fwd${i + 1}: ${tag}`, [forwardPart(msg)]);
  return msg;
}

export function forwardedSection(levels: number, inner: 'single' | 'multipart'): string {
  return [...Array(levels).fill('2'), inner === 'single' ? '1' : '2'].join('.');
}

/**
 * A top-level calendar (part 2, reachable) next to a multipart nested `depth` levels deep with a
 * second calendar at its bottom (unreachable beyond the nesting limit).
 */
export function deepMultipart(topTag: string, deepTag: string, depth: number): Buffer {
  let inner = calendarPart(deepTag);
  for (let i = depth; i > 0; i--) {
    const b = `deep${i}`;
    inner = [`Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, inner, `--${b}--`, ''].join(CRLF);
  }
  return mixed(`Deep ${depth}`, [calendarPart(topTag), inner], 'top');
}

/** A top-level calendar (part 2) next to a forward nested `levels` deep ending in a calendar. */
export function deepForward(topTag: string, deepTag: string, levels: number): Buffer {
  let msg = singlePartInvite(deepTag, `Innermost ${deepTag}`);
  for (let i = 0; i < levels; i++) msg = Buffer.from(head(`Level ${i + 1}`, 'message/rfc822') + CRLF + msg.toString('latin1'));
  return mixed(`Deep forward ${levels}`, [calendarPart(topTag), forwardPart(msg)], 'top');
}

/** multipart/mixed without a boundary parameter: its parts cannot be told apart. */
export function noBoundary(tag: string): Buffer {
  return Buffer.from(head(`No boundary ${tag}`, 'multipart/mixed') + CRLF + ['--x', calendarPart(tag), '--x--', ''].join(CRLF));
}

/** A calendar (part 2) next to a nested multipart whose declared boundary never occurs in its body. */
export function missingBoundary(topTag: string, lostTag: string): Buffer {
  const nested = ['Content-Type: multipart/mixed; boundary="never-used"', '', '--other', calendarPart(lostTag), '--other--', ''].join(CRLF);
  return mixed(`Missing boundary ${topTag}`, [calendarPart(topTag), nested], 'top');
}

/** A single-part invitation with one header line of `bytes` bytes (an X- header, before Content-Type). */
export function hugeHeaderLine(tag: string, bytes: number): Buffer {
  const junk = `X-Junk: ${'a'.repeat(bytes)}`;
  return Buffer.from(head(`Huge header ${tag}`, 'text/calendar; charset=utf-8; method=REQUEST', [junk]) + CRLF + inviteIcs(tag));
}

/** A single-part invitation whose bytes are windows-1252 but labelled with a charset nobody knows. */
export function unknownCharset(tag: string, summary: string, label = 'x-klingon'): Buffer {
  const ics = vcal('REQUEST', vevent({ uid: `${tag}@good.example`, summary }));
  return Buffer.concat([Buffer.from(head(`Unknown charset ${tag}`, `text/calendar; charset=${label}; method=REQUEST`) + CRLF), iconv.encode(ics, 'windows-1252')]);
}

/**
 * Writes, chunk by chunk, an invitation (part 2) followed by `attachmentBytes` of base64 attachment
 * (a message far bigger than any calendar part), without ever holding the attachment in memory.
 */
export function writeBigAttachmentMail(file: string, tag: string, attachmentBytes: number): void {
  const fd = openSync(file, 'w');
  try {
    const b = 'big';
    writeSync(fd, head(`Big attachment ${tag}`, `multipart/mixed; boundary="${b}"`) + CRLF);
    writeSync(fd, [`--${b}`, calendarPart(tag), `--${b}`, 'Content-Type: application/octet-stream; name="video.bin"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="video.bin"', '', ''].join(CRLF));
    const line = Buffer.from(Buffer.alloc(57, 0xa5).toString('base64') + CRLF); // 76 characters per line
    const block = Buffer.concat(Array(16384).fill(line));
    const lines = Math.ceil(attachmentBytes / 57);
    for (let done = 0; done < lines; done += 16384) writeSync(fd, lines - done >= 16384 ? block : block.subarray(0, (lines - done) * line.length));
    writeSync(fd, `--${b}--${CRLF}`);
  } finally {
    closeSync(fd);
  }
}

/** A single-part calendar of `events` short VEVENTs (about 100 bytes each; UIDs bulk-N@good.example). */
export function writeManyEventsMail(file: string, events: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head(`Many events`, 'text/calendar; charset=utf-8; method=PUBLISH') + CRLF);
    writeSync(fd, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//bulk//EN', 'METHOD:PUBLISH', ''].join(CRLF));
    let chunk = '';
    for (let i = 0; i < events; i++) {
      chunk += `BEGIN:VEVENT${CRLF}UID:bulk-${i}@good.example${CRLF}DTSTAMP:20260101T000000Z${CRLF}DTSTART:20260110T100000Z${CRLF}SUMMARY:Bulk ${i}${CRLF}END:VEVENT${CRLF}`;
      if (chunk.length > 1 << 20 || i === events - 1) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, 'END:VCALENDAR' + CRLF);
  } finally {
    closeSync(fd);
  }
}

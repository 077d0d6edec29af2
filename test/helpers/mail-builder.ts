// Builds RFC 5322 test messages around iCalendar text: inline text/calendar, .ics attachments,
// attached messages, any transfer encoding and charset. Test-only; never used by the app.
import iconv from 'iconv-lite';

export interface CalendarAttachment {
  ics: string | Buffer;
  contentType?: string; // default text/calendar
  method?: string;
  charset?: string; // applied with iconv when ics is a string
  encoding?: 'base64' | 'quoted-printable' | '7bit' | '8bit';
  filename?: string;
  disposition?: 'inline' | 'attachment';
}

export interface MailSpec {
  subject: string;
  from?: string;
  to?: string;
  date?: Date;
  messageId?: string;
  text?: string;
  calendars?: CalendarAttachment[];
  /** Extra non-calendar attachments (e.g. a big PDF). */
  attachments?: Array<{ contentType: string; filename: string; data: Buffer }>;
  /** Attached messages (message/rfc822). */
  messages?: Buffer[];
}

let counter = 0;

function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/.{76}/g, '$&\r\n');
}

function qp(buf: Buffer): string {
  let out = '';
  let line = '';
  for (const byte of buf) {
    let tok: string;
    if (byte === 0x0a) {
      out += line.replace(/[ \t]$/, (m) => `=${m.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) + '\r\n';
      line = '';
      continue;
    }
    if (byte === 0x0d) continue;
    if ((byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9) tok = String.fromCharCode(byte);
    else tok = `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + tok.length > 75) {
      out += line + '=\r\n';
      line = '';
    }
    line += tok;
  }
  return out + line;
}

function encodeBody(data: Buffer, encoding: string): string {
  if (encoding === 'base64') return b64(data);
  if (encoding === 'quoted-printable') return qp(data);
  return data.toString('latin1');
}

function calendarPart(c: CalendarAttachment): string {
  const charset = c.charset ?? 'utf-8';
  const data = typeof c.ics === 'string' ? (charset.toLowerCase() === 'utf-8' ? Buffer.from(c.ics, 'utf8') : iconv.encode(c.ics, charset)) : c.ics;
  const encoding = c.encoding ?? 'base64';
  const type = c.contentType ?? 'text/calendar';
  const params = [type.startsWith('text/') ? `charset=${charset}` : '', c.method ? `method=${c.method}` : '', c.filename ? `name="${c.filename}"` : ''].filter(Boolean);
  const head = [`Content-Type: ${type}${params.length ? '; ' + params.join('; ') : ''}`, `Content-Transfer-Encoding: ${encoding}`];
  if (c.disposition || c.filename) head.push(`Content-Disposition: ${c.disposition ?? 'attachment'}${c.filename ? `; filename="${c.filename}"` : ''}`);
  return head.join('\r\n') + '\r\n\r\n' + encodeBody(data, encoding);
}

/** A complete message (Buffer: bodies may hold 8-bit bytes). */
export function buildMail(spec: MailSpec): Buffer {
  counter += 1;
  const boundary = `b${counter}x${Date.now().toString(36)}`;
  const date = spec.date ?? new Date('2026-01-05T09:00:00Z');
  const headers = [
    `From: ${spec.from ?? 'Organizer <organizer@example.com>'}`,
    `To: ${spec.to ?? 'team@example.com'}`,
    `Subject: ${/[^\x20-\x7e]/.test(spec.subject) ? `=?UTF-8?B?${Buffer.from(spec.subject).toString('base64')}?=` : spec.subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${spec.messageId ?? `m${counter}.${date.getTime()}@example.com`}>`,
    'MIME-Version: 1.0',
  ];
  const parts: string[] = [`Content-Type: text/plain; charset=utf-8\r\n\r\n${spec.text ?? 'Calendar message.'}\r\n`];
  for (const c of spec.calendars ?? []) parts.push(calendarPart(c));
  for (const a of spec.attachments ?? []) {
    parts.push(`Content-Type: ${a.contentType}; name="${a.filename}"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="${a.filename}"\r\n\r\n${b64(a.data)}`);
  }
  for (const m of spec.messages ?? []) {
    parts.push(`Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="forwarded.eml"\r\n\r\n${m.toString('latin1')}`);
  }
  const body = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
  return Buffer.from(headers.join('\r\n') + `\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` + body, 'latin1');
}

/** A minimal VCALENDAR around the given component lines. */
export function vcal(method: string | undefined, ...components: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//mailbox2ics tests//EN', ...(method ? [`METHOD:${method}`] : []), ...components, 'END:VCALENDAR', ''].join('\r\n');
}

export interface EventSpec {
  uid?: string;
  summary?: string;
  start?: string; // e.g. '20260110T100000Z' or 'TZID=Europe/Berlin:20260110T100000'
  end?: string;
  sequence?: number;
  dtstamp?: string;
  rrule?: string;
  recurrenceId?: string;
  status?: string;
  extra?: string[];
}

function dt(name: string, v: string): string {
  return v.includes(':') ? `${name};${v}` : `${name}:${v}`;
}

export function vevent(e: EventSpec): string {
  return [
    'BEGIN:VEVENT',
    ...(e.uid ? [`UID:${e.uid}`] : []),
    `DTSTAMP:${e.dtstamp ?? '20260101T000000Z'}`,
    ...(e.recurrenceId ? [dt('RECURRENCE-ID', e.recurrenceId)] : []),
    dt('DTSTART', e.start ?? '20260110T100000Z'),
    dt('DTEND', e.end ?? '20260110T110000Z'),
    ...(e.sequence !== undefined ? [`SEQUENCE:${e.sequence}`] : []),
    ...(e.rrule ? [`RRULE:${e.rrule}`] : []),
    ...(e.status ? [`STATUS:${e.status}`] : []),
    `SUMMARY:${e.summary ?? 'Meeting'}`,
    ...(e.extra ?? []),
    'END:VEVENT',
  ].join('\r\n');
}

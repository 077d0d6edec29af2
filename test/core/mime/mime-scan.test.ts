// The streaming MIME scan on its own: the same result however the bytes are chunked, line ends and
// delimiters as RFC 2046 has them, encodings and parameters as senders write them, and every limit.
import { describe, expect, it } from 'vitest';
import { MimeScanner, scanMime, type MimeScan } from '../../../electron/core/mime/mime-scan.ts';
import { MAX_CALENDAR_PARTS_PER_MESSAGE } from '../../../electron/core/limits.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import * as H from '../../helpers/hostile-mail.ts';

const ICS = vcal('REQUEST', vevent({ uid: 'x@example.com', summary: 'X' }));
const plain = (s: MimeScan) => ({ ...s, calendar: s.calendar.map((c) => ({ ...c, raw: c.raw?.toString('latin1') })) });

function chunked(raw: Buffer, size: number): MimeScan {
  const s = new MimeScanner(10 << 20);
  for (let i = 0; i < raw.length; i += size) s.write(raw.subarray(i, i + size));
  return s.end();
}

describe('MIME scan', () => {
  it('gives the same result for any chunking of the input (1 byte to whole)', async () => {
    const samples = [
      buildMail({ subject: 'Mixed', calendars: [{ method: 'REQUEST', ics: ICS }, { ics: ICS, encoding: 'quoted-printable', filename: 'b.ics' }], attachments: [{ contentType: 'application/pdf', filename: 'a.pdf', data: Buffer.alloc(5000, 1) }] }),
      H.forwarded('f', 3, 'multipart'),
      H.deepMultipart('t', 'd', 25),
      H.hugeHeaderLine('h', 200_000),
      Buffer.from(H.forwarded('lf', 2, 'single').toString('latin1').replace(/\r\n/g, '\n'), 'latin1'),
    ];
    for (const raw of samples) {
      const whole = plain(await scanMime(raw, 10 << 20));
      expect(whole.calendar.length + whole.problems.length).toBeGreaterThan(0);
      for (const size of [1, 2, 3, 7, 64, 1000, 65536]) expect(plain(chunked(raw, size)), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('the line end before a delimiter belongs to the delimiter; the body keeps its own line ends', async () => {
    const raw = Buffer.from(['Subject: s', 'Content-Type: multipart/mixed; boundary=b', '', 'preamble', '--b', 'Content-Type: text/calendar', '', 'A\r\nB', '', '--b--', 'epilogue', ''].join('\r\n'));
    const s = await scanMime(raw, 1000);
    expect(s.calendar.map((c) => [c.section, c.raw?.toString('latin1'), c.size])).toEqual([['1', 'A\r\nB\r\n', 6]]);
  });

  it('a boundary that is a prefix of a longer line is not a delimiter; transport padding after one is', async () => {
    const raw = Buffer.from(['Content-Type: multipart/mixed; boundary="ab"', '', '--ab', 'Content-Type: text/calendar', '', '--abc is text', '--ab \t', 'Content-Type: text/calendar', '', 'second', '--ab--', ''].join('\r\n'));
    const s = await scanMime(raw, 1000);
    expect(s.calendar.map((c) => [c.section, c.raw?.toString('latin1')])).toEqual([['1', '--abc is text'], ['2', 'second']]);
  });

  it('reads types, methods, charsets and file names as senders write them (RFC 2231, RFC 2047, comments, case)', async () => {
    const raw = Buffer.from([
      'Subject: =?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?=', 'From: "Ann" <ann@example.com>', 'Content-Type: MULTIPART/Mixed; (comment) BOUNDARY="x y"', '',
      '--x y', 'Content-Type: application/octet-stream', "Content-Disposition: attachment; filename*=UTF-8''Termin%20%C3%BC.ics", 'Content-Transfer-Encoding: BASE64', '', Buffer.from(ICS).toString('base64'),
      '--x y', 'Content-Type: Text/Calendar; Method="request"; charset=ISO-8859-1', '', ICS,
      '--x y--', '',
    ].join('\r\n'));
    const s = await scanMime(raw, 10 << 20);
    expect(s.subject).toBe('Überprüfung');
    expect(s.from).toBe('ann@example.com');
    expect(s.calendar.map((c) => ({ section: c.section, type: c.type, encoding: c.encoding, charset: c.charset, method: c.method, filename: c.filename }))).toEqual([
      { section: '1', type: 'application/octet-stream', encoding: 'base64', charset: undefined, method: undefined, filename: 'Termin ü.ics' },
      { section: '2', type: 'text/calendar', encoding: undefined, charset: 'ISO-8859-1', method: 'REQUEST', filename: undefined },
    ]);
  });

  it('reads an attached message sent base64-encoded, and the default type of a digest part', async () => {
    const inner = H.singlePartInvite('enc');
    const raw = Buffer.from(['Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', inner.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--o', 'Content-Type: multipart/digest; boundary=d', '', '--d', '', inner.toString('latin1'), '--d--', '--o--', ''].join('\r\n'));
    const s = await scanMime(raw, 10 << 20);
    expect(s.calendar.map((c) => c.section)).toEqual(['1.1', '2.1.1']);
    expect(s.problems).toEqual([]);
  });

  it('a part over the limit is counted, not held; a message with too many calendar parts is cut at the limit', async () => {
    const big = await scanMime(buildMail({ subject: 'Big', calendars: [{ ics: ICS + 'X'.repeat(5000), encoding: '7bit' }] }), 1000);
    expect(big.calendar).toEqual([expect.objectContaining({ section: '2', raw: undefined })]);
    expect(big.calendar[0].size).toBeGreaterThan(5000);
    const many = await scanMime(buildMail({ subject: 'Many', calendars: Array.from({ length: MAX_CALENDAR_PARTS_PER_MESSAGE + 5 }, () => ({ ics: ICS })) }), 10 << 20);
    expect(many.calendar).toHaveLength(MAX_CALENDAR_PARTS_PER_MESSAGE);
    expect(many.problems).toEqual([{ section: String(MAX_CALENDAR_PARTS_PER_MESSAGE + 2), skipped: true, reason: `the message has more than ${MAX_CALENDAR_PARTS_PER_MESSAGE} calendar parts; this one and all later ones were not read` }]);
  });

  it('an oversized Content-Type header leaves the part unread, and says so', async () => {
    const line = `Content-Type: text/calendar; x-pad="${'p'.repeat(70_000)}"`;
    const raw = Buffer.from(['Subject: s', line, '', ICS].join('\r\n'));
    const s = await scanMime(raw, 10 << 20);
    expect(s.calendar).toEqual([]);
    expect(s.problems).toEqual([{ section: '1', skipped: true, reason: `a content-type header line of ${line.length} bytes (over the limit of 65536 bytes) was ignored, so this part's type or encoding is unknown; not searched for calendar data` }]);
  });
});

import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodePart, decodeCharset } from '../../../electron/core/mime/decode.ts';

describe('decodePart', () => {
  it('decodes base64 UTF-8', () => {
    const raw = Buffer.from(Buffer.from('SUMMARY:Übersicht €\r\n', 'utf8').toString('base64').replace(/.{10}/g, '$&\r\n'));
    const r = decodePart(raw, 'base64', 'utf-8');
    expect(r.text).toBe('SUMMARY:Übersicht €\r\n');
    expect(r.warnings).toEqual([]);
  });

  it('decodes quoted-printable windows-1252 into the right characters', () => {
    // 0x80 = €, 0x84 = „, 0x93 = “, 0x96 = –, 0xFC = ü (windows-1252, not ISO-8859-1 for the first four)
    const raw = Buffer.from('SUMMARY:=80 5 =84Treffen=93 =96 M=FCnchen=\r\n Caf=E9\r\n', 'latin1');
    const r = decodePart(raw, 'quoted-printable', 'windows-1252');
    expect(r.text).toBe('SUMMARY:€ 5 „Treffen“ – München Café\r\n');
  });

  it('decodes ISO-8859-1', () => {
    const r = decodePart(iconv.encode('LOCATION:Zürich Bahnhofstraße', 'iso-8859-1'), '8bit', 'ISO-8859-1');
    expect(r.text).toBe('LOCATION:Zürich Bahnhofstraße');
  });

  it('reads ISO-8859-1-labelled bytes 0x80-0x9F as windows-1252 (€, „, –), never as C1 controls', () => {
    const r = decodePart(Buffer.from('SUMMARY:\x80 10 \x84ok\x93 \x96 fine', 'latin1'), '8bit', 'iso-8859-1');
    expect(r.text).toBe('SUMMARY:€ 10 „ok“ – fine');
  });

  it('reports truncated base64 but keeps what it could decode', () => {
    const full = Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n').toString('base64');
    const r = decodePart(Buffer.from(full.slice(0, full.length - 3)), 'base64', 'utf-8');
    expect(r.warnings.join()).toMatch(/truncated base64/);
    expect(r.text).toMatch(/^BEGIN:VCALENDAR/);
  });

  it('rejects base64 with foreign characters, naming the character', () => {
    const r = decodePart(Buffer.from('QkVHSU46*VkNBTEVOREFS'), 'base64', 'utf-8');
    expect(r.text).toBeUndefined();
    expect(r.error).toMatch(/invalid base64: unexpected character "\*"/);
  });

  it('an unknown charset is a warning naming it, and the text still comes through', () => {
    const r = decodePart(Buffer.from('SUMMARY:Caf\xe9', 'latin1'), '8bit', 'x-made-up-charset');
    expect(r.warnings).toEqual(['unknown charset "x-made-up-charset"; decoded as windows-1252']);
    expect(r.text).toBe('SUMMARY:Café');
  });

  it('falls back to windows-1252 when data labelled UTF-8 is not UTF-8', () => {
    const warnings: string[] = [];
    expect(decodeCharset(Buffer.from('Gr\xfc\xdfe', 'latin1'), 'utf-8', warnings)).toBe('Grüße');
    expect(warnings[0]).toMatch(/not valid UTF-8/);
  });

  it('strips a UTF-8 byte-order mark', () => {
    const warnings: string[] = [];
    expect(decodeCharset(Buffer.from('\ufeffBEGIN:VCALENDAR', 'utf8'), undefined, warnings)).toBe('BEGIN:VCALENDAR');
  });
});

// Turns the raw bytes of a MIME part into text: undoes the transfer encoding and the charset.
// Never throws for bad data: it returns what could be decoded plus warnings, or an error reason.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import libqp from 'libqp';

export interface DecodeResult {
  text?: string;
  /** Set when nothing usable could be decoded. */
  error?: string;
  warnings: string[];
}

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(raw: Buffer, warnings: string[]): { bytes?: Buffer; error?: string } {
  const compact = raw.toString('latin1').replace(/[\r\n\t ]+/g, '');
  if (!BASE64_CHARS.test(compact)) {
    const bad = compact.match(/[^A-Za-z0-9+/=]/)?.[0];
    return { error: bad ? `invalid base64: unexpected character ${JSON.stringify(bad)}` : 'invalid base64: misplaced padding' };
  }
  if (compact.length % 4 !== 0) {
    // A length that is not a multiple of 4 means the part was cut off in transit or by the sender.
    warnings.push(`truncated base64 (${compact.length} characters, not a multiple of 4)`);
  }
  return { bytes: Buffer.from(compact, 'base64') };
}

export function decodeTransferEncoding(raw: Buffer, encoding: string | undefined, warnings: string[]): { bytes?: Buffer; error?: string } {
  const enc = (encoding ?? '7bit').trim().toLowerCase();
  switch (enc) {
    case 'base64':
      return decodeBase64(raw, warnings);
    case 'quoted-printable':
      return { bytes: libqp.decode(raw.toString('latin1')) };
    case '7bit':
    case '8bit':
    case 'binary':
    case '':
      return { bytes: raw };
    default:
      warnings.push(`unknown transfer encoding "${encoding}", read as 8bit`);
      return { bytes: raw };
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// Checked in place: decoding a 25 MB part only to see whether it would decode made three throwaway
// copies of it (a fatal TextDecoder twice and a Latin-1 string), most of the part's peak memory.
const looksLikeUtf8 = (bytes: Buffer): boolean => isUtf8(bytes);

/** Charset names mail clients send that iconv-lite knows under another name. */
// ISO-8859-1 and ASCII labels mean windows-1252 in practice (the WHATWG Encoding Standard does the
// same): bytes 0x80–0x9F are €, „, “, – … in real mail, never C1 control characters.
const CHARSET_ALIASES: Record<string, string> = {
  'utf8': 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'x-unknown': '',
  'iso-8859-1': 'windows-1252', 'iso8859-1': 'windows-1252', 'latin1': 'windows-1252', 'l1': 'windows-1252', 'iso_8859-1': 'windows-1252', 'cp819': 'windows-1252',
};

/** Undoes a Latin-1 decode of windows-1252 text (C1 controls where €, „, – were meant). */
export function repairC1(text: string): string {
  if (!/[\u0080-\u009f]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  return iconv.decode(Buffer.from(text, 'latin1'), 'windows-1252');
}

export function decodeCharset(bytes: Buffer, charset: string | undefined, warnings: string[]): string {
  let body = bytes;
  if (body.subarray(0, 3).equals(UTF8_BOM)) {
    body = body.subarray(3);
    charset = 'utf-8';
  }
  let cs = (charset ?? '').trim().toLowerCase().replace(/^"|"$/g, '');
  cs = CHARSET_ALIASES[cs] ?? cs;
  if (cs && iconv.encodingExists(cs)) {
    if ((cs === 'us-ascii' || cs === 'ascii' || cs === 'windows-1252') && !isAscii(body) && looksLikeUtf8(body)) {
      // Valid multi-byte UTF-8 under a legacy label is far likelier UTF-8 than mojibake.
      warnings.push(`declared charset "${charset}" but the data is UTF-8; decoded as UTF-8`);
      return body.toString('utf8');
    }
    if ((cs === 'utf-8' || cs === 'us-ascii' || cs === 'ascii') && !looksLikeUtf8(body)) {
      // Senders often label windows-1252 text as UTF-8 or ASCII; replacement characters would lose it.
      warnings.push(`declared charset "${charset}" but the data is not valid UTF-8; decoded as windows-1252`);
      return iconv.decode(body, 'windows-1252');
    }
    return iconv.decode(body, cs);
  }
  if (cs) warnings.push(`unknown charset "${charset}"; decoded as ${looksLikeUtf8(body) ? 'UTF-8' : 'windows-1252'}`);
  // RFC 5545 makes UTF-8 the default; fall back to windows-1252 (a superset of Latin-1) for legacy data.
  return looksLikeUtf8(body) ? body.toString('utf8') : iconv.decode(body, 'windows-1252');
}

/** Full decode of one part: transfer encoding, then charset. */
export function decodePart(raw: Buffer, encoding: string | undefined, charset: string | undefined): DecodeResult {
  const warnings: string[] = [];
  const te = decodeTransferEncoding(raw, encoding, warnings);
  if (!te.bytes) return { error: te.error, warnings };
  const text = decodeCharset(te.bytes, charset, warnings);
  return { text, warnings };
}

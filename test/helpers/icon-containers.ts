// Reads the entry tables of .icns (Apple) and .ico (Windows) files, for the icon tests: what a
// platform will find in them, not how they were made.
import { pngSize } from './png.ts';

/** Pixel size each PNG-carrying ICNS type must have (Apple's type table). */
const ICNS_PNG_SIZES: Record<string, number> = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 };

export function icnsEntries(buf: Buffer): Array<{ type: string; png?: { width: number; height: number }; expected?: number }> {
  if (buf.toString('latin1', 0, 4) !== 'icns' || buf.readUInt32BE(4) !== buf.length) throw new Error('not an icns file (or its length field is wrong)');
  const out: Array<{ type: string; png?: { width: number; height: number }; expected?: number }> = [];
  for (let at = 8; at < buf.length; ) {
    const type = buf.toString('latin1', at, at + 4);
    const len = buf.readUInt32BE(at + 4);
    if (len < 8 || at + len > buf.length) throw new Error(`broken icns entry ${type}`);
    const body = buf.subarray(at + 8, at + len);
    const isPng = body.subarray(1, 4).toString('latin1') === 'PNG';
    out.push({ type, ...(isPng ? { png: pngSize(body), expected: ICNS_PNG_SIZES[type] } : {}) });
    at += len;
  }
  return out;
}

export function icoEntries(buf: Buffer): Array<{ size: number; bpp: number }> {
  if (buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1) throw new Error('not an ico file');
  const count = buf.readUInt16LE(4);
  const out: Array<{ size: number; bpp: number }> = [];
  for (let i = 0; i < count; i++) {
    const e = 6 + i * 16;
    const w = buf[e] || 256;
    const h = buf[e + 1] || 256;
    if (w !== h) throw new Error(`ico entry ${i} is not square`);
    const bytes = buf.readUInt32LE(e + 8);
    const offset = buf.readUInt32LE(e + 12);
    if (offset + bytes > buf.length) throw new Error(`ico entry ${i} runs past the end`);
    out.push({ size: w, bpp: buf.readUInt16LE(e + 6) });
  }
  return out;
}

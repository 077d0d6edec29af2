// Large cache texts are stored gzipped (in pieces) and read back exactly; small ones stay plain text.
import { describe, expect, it } from 'vitest';
import { PACK_ABOVE_CHARS, packJson, packText, unpackText } from '../../../electron/core/store/packed-text.ts';

describe('packText / unpackText', () => {
  it('leaves a text up to the threshold as it is', () => {
    const t = 'x'.repeat(PACK_ABOVE_CHARS);
    expect(packText(t)).toBe(t);
    expect(unpackText(t)).toBe(t);
  });

  it('gzips a longer text and reads it back to the same characters (any Unicode)', () => {
    const t = 'BEGIN:VEVENT\r\nSUMMARY:Réunion 📅\r\nEND:VEVENT\r\n'.repeat(10_000);
    const packed = packText(t);
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect((packed as Buffer).length).toBeLessThan(t.length / 20);
    expect(unpackText(packed)).toBe(t);
  });

  it('never splits a surrogate pair between two compressed pieces (pieces are 1 Mi characters)', () => {
    const t = 'a'.repeat((1 << 20) - 1) + '\u{1F4C5}'.repeat(3) + 'b'.repeat(1 << 20);
    expect(unpackText(packText(t))).toBe(t);
  });

  it('a stored value that is not gzip data is an error, never a wrong text', () => {
    expect(() => unpackText(Buffer.from('not gzip data at all'))).toThrow();
  });
});

describe('packJson', () => {
  const shapes: unknown[] = [
    { a: 1, b: 'x', c: undefined, d: null, e: [1, undefined, () => 0, 'y'], f: { g: true, h: [] }, 2: 'int key', 1: 'first' },
    [{ nested: [[1, 2], { deep: ['é', '\u{1F4C5}', '\ud800 lone'] }] }],
    'a string',
    42,
    { date: new Date(Date.UTC(2026, 0, 1)), map: new Map([[1, 2]]), fn: () => 1 },
  ];
  it('writes exactly what JSON.stringify writes, small or large, whatever the shape', () => {
    for (const v of shapes) {
      const { packed, length } = packJson(v);
      expect(packed).toBe(JSON.stringify(v));
      expect(length).toBe(JSON.stringify(v).length);
    }
    // A record of 200,000 components inside a message's one part: packed in pieces, read back the same.
    const record = { uid: 7, parts: [{ section: '2', prepared: { v: 4, comps: Array.from({ length: 200_000 }, (_, i) => ({ uid: `u${i}@x`, text: `BEGIN:VEVENT\r\nUID:u${i}@x\r\nEND:VEVENT`, tzids: [], zones: {}, skip: undefined })) } }], subject: 'Ünïcode' };
    const { packed, length } = packJson(record);
    expect(Buffer.isBuffer(packed)).toBe(true);
    const json = JSON.stringify(record);
    expect(length).toBe(json.length);
    expect(unpackText(packed)).toBe(json);
  });
});

// Large cache texts are stored deflated and read back exactly; small ones stay plain text.
import { describe, expect, it } from 'vitest';
import { PACK_ABOVE_CHARS, packText, unpackText } from '../../../electron/core/store/packed-text.ts';

describe('packText / unpackText', () => {
  it('leaves a text up to the threshold as it is', () => {
    const t = 'x'.repeat(PACK_ABOVE_CHARS);
    expect(packText(t)).toBe(t);
    expect(unpackText(t)).toBe(t);
  });

  it('deflates a longer text and inflates it back to the same characters (any Unicode)', () => {
    const t = 'BEGIN:VEVENT\r\nSUMMARY:Réunion 📅\r\nEND:VEVENT\r\n'.repeat(10_000);
    const packed = packText(t);
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect((packed as Buffer).length).toBeLessThan(t.length / 20);
    expect(unpackText(packed)).toBe(t);
  });

  it('a stored value that is not deflate data is an error, never a wrong text', () => {
    expect(() => unpackText(Buffer.from('not deflate data at all'))).toThrow();
  });
});

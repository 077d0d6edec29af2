// The stored sign-in record: exactly the fields it may hold, a damaged item read as "none", and
// Windows' 2,560-byte item limit said as a reason instead of a broken save.
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, tokenItemName, type TokenRecord } from '../../../electron/core/auth/token-record.ts';
import { keychainTokenStore } from '../../../electron/core/auth/token-store.ts';
import { AppError } from '../../../electron/core/errors.ts';

const record: TokenRecord = { v: 1, issuer: 'https://id.example', clientId: 'c', user: 'alice@example.com', scopes: ['openid'], refreshToken: 'r'.repeat(40), obtainedAt: '2026-12-01T00:00:00.000Z' };

describe('sign-in record', () => {
  it('round-trips, and reads anything else as no record', () => {
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
    expect(tokenItemName('work')).toBe('oauth2:work');
    for (const bad of [null, '', 'not json', '{"v":2}', JSON.stringify({ ...record, accessToken: 'x' })]) expect(decodeRecord(bad)).toBeUndefined();
  });

  it('refuses a record too large for the Windows Credential Manager there, and only there', () => {
    const big = { ...record, refreshToken: 'r'.repeat(3000) };
    expect(() => encodeRecord(big, 'win32')).toThrow(/more than the 2560 the Windows Credential Manager keeps/);
    expect(decodeRecord(encodeRecord(big, 'linux'))).toEqual(big);
  });

  it('keeps the record in memory, and says so once, where there is no keychain', async () => {
    const notes: string[] = [];
    const store = keychainTokenStore(async () => {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The system keychain is not available: no D-Bus');
    }, (m) => notes.push(m));
    await store.set('work', record);
    expect(await store.get('work')).toEqual(record);
    expect(store.where()).toBe('memory');
    await store.delete('work');
    expect(await store.get('work')).toBeUndefined();
    expect(notes).toEqual(['note: The system keychain is not available: no D-Bus; the sign-in is kept in memory only until this program ends.']);
  });
});

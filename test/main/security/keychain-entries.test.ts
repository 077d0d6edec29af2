// Hole 6: saving, editing or removing one account never overwrites or deletes another account's
// keychain entry: two accounts of the same user@host, and an edit onto settings that already have one.
import { describe, expect, it } from 'vitest';
import { windowUnderTest } from '../../helpers/window-requests.ts';

const acc = (host: string, port: number, security = 'tls') => ({ host, port, security, username: 'alice' });
const hasPassword = async (w: ReturnType<typeof windowUnderTest>) =>
  Object.fromEntries((await w.ok<Array<{ name: string; hasPassword: boolean }>>('accounts:list', {})).map((a) => [a.name, a.hasPassword]));

describe('keychain entries per account identity', () => {
  it('two accounts of the same user@host keep their own passwords, and editing one leaves the other alone', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'imaps', account: acc('127.0.0.1', 993) });
    await w.ok('accounts:save', { name: 'starttls', account: acc('127.0.0.1', 143, 'starttls') });
    await w.ok('password:set', { name: 'imaps', password: 'pw-of-imaps' });
    await w.ok('password:set', { name: 'starttls', password: 'pw-of-starttls' });
    expect([...w.secrets.values()].sort()).toEqual(['pw-of-imaps', 'pw-of-starttls']);
    expect(await hasPassword(w)).toEqual({ imaps: true, starttls: true });

    // Moving "imaps" to another host (declined in main's dialog) drops its own old entry only.
    await w.ok('accounts:save', { name: 'imaps', previousName: 'imaps', account: acc('127.0.0.9', 993) });
    expect([...w.secrets.values()]).toEqual(['pw-of-starttls']);
    expect(await hasPassword(w)).toEqual({ imaps: false, starttls: true });
    // Nor do a new password, forgetting it, or removing the account touch the other one.
    await w.ok('password:set', { name: 'imaps', password: 'pw-of-imaps-2' });
    await w.ok('password:delete', { name: 'imaps' });
    await w.ok('password:set', { name: 'imaps', password: 'pw-of-imaps-3' });
    await w.ok('accounts:remove', { name: 'imaps' });
    expect([...w.secrets.values()]).toEqual(['pw-of-starttls']);
    expect(await hasPassword(w)).toEqual({ starttls: true });
  });

  it('an edit onto settings that already have a saved password never overwrites it', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'a', account: acc('127.0.0.1', 993) });
    await w.ok('accounts:save', { name: 'c', account: acc('127.0.0.3', 993) });
    await w.ok('password:set', { name: 'a', password: 'pw-of-a' });
    await w.ok('password:set', { name: 'c', password: 'pw-of-c' });
    w.dialogs.confirmAnswer = true; // even a "yes" would not overwrite an entry that exists
    await w.ok('accounts:save', { name: 'a', previousName: 'a', account: acc('127.0.0.3', 993) });
    expect(w.dialogs.questions).toEqual([]); // nothing to carry over: those settings have their own password
    // c's entry is untouched; a's old one (settings no account has any more) is gone.
    expect([...w.secrets.values()]).toEqual(['pw-of-c']);
    expect(await hasPassword(w)).toEqual({ a: true, c: true });
  });

  it('removing one of two accounts with identical settings keeps the entry the other one uses', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'one', account: acc('127.0.0.1', 993) });
    await w.ok('accounts:save', { name: 'two', account: acc('127.0.0.1', 993) });
    await w.ok('password:set', { name: 'two', password: 'shared-login' });
    expect(await hasPassword(w)).toEqual({ one: true, two: true }); // the same login: one entry
    await w.ok('accounts:remove', { name: 'one' });
    expect(await hasPassword(w)).toEqual({ two: true });
    // And a move of one with a "yes" copies the password but leaves the shared entry for the other.
    await w.ok('accounts:save', { name: 'one', account: acc('127.0.0.1', 993) });
    w.dialogs.confirmAnswer = true;
    await w.ok('accounts:save', { name: 'one', previousName: 'one', account: acc('127.0.0.4', 993) });
    expect(w.dialogs.questions).toHaveLength(1);
    expect(await hasPassword(w)).toEqual({ one: true, two: true });
    expect([...w.secrets.values()]).toEqual(['shared-login', 'shared-login']);
  });
});

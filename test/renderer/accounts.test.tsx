// @vitest-environment jsdom
// Accounts: field validation, the keychain state and the keychain-unavailable path, untrusted
// certificates pinned by "Trust this certificate", removal behind a confirmation.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { createFakeApi, fail } from './fake-api.ts';
import { addAccount, CERTIFICATE, FINGERPRINT } from './fixtures.ts';
import { setup } from './render-app.tsx';

afterEach(cleanup);

async function openNewAccount(keychain?: { available: boolean; reason?: string }) {
  const ctx = setup(<App />, createFakeApi({ keychain }));
  await ctx.user.click(await screen.findByRole('button', { name: 'Accounts' }));
  await ctx.user.click(await screen.findByRole('button', { name: 'Add account' }));
  return ctx;
}

describe('account form', () => {
  it('shows each problem next to its field, saves nothing until fixed, then saves the password to the keychain', async () => {
    const { user, fake } = await openNewAccount();
    await user.type(screen.getByLabelText('Name'), 'my account');
    await user.type(screen.getByLabelText('Port'), '70000');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.getByLabelText('Name')).toHaveProperty('ariaInvalid', 'true');
    expect(screen.getByText(/Use letters, digits/)).toBeTruthy();
    expect(screen.getByText('The server host name is required.')).toBeTruthy();
    expect(screen.getByText('The user name is required.')).toBeTruthy();
    expect(screen.getByText(/A number from 1 to 65535/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(fake.requests('saveAccount')).toHaveLength(0);
    expect(fake.requests('testConnection')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'work');
    await user.type(screen.getByLabelText('Server'), 'imap.example.com');
    await user.clear(screen.getByLabelText('Port'));
    await user.type(screen.getByLabelText('Port'), '993');
    await user.type(screen.getByLabelText('User name'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 's3cret');
    expect(screen.queryByText(/Use letters, digits/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(fake.requests('setPassword')).toEqual([{ name: 'work', password: 's3cret' }]));
    expect(fake.requests('saveAccount')[0]).toEqual({ name: 'work', account: { host: 'imap.example.com', port: 993, security: 'tls', username: 'me@example.com' } });
    // The password never goes into the account itself.
    expect(JSON.stringify(fake.requests('saveAccount'))).not.toContain('s3cret');
    const list = screen.getByRole('list', { name: 'Accounts' });
    await waitFor(() => expect(list.textContent).toContain('password in keychain'));
  });

  it('takes the CA file from main\'s open dialog (a token and the path to show), never a typed path', async () => {
    const { user, fake } = await openNewAccount();
    const ca = screen.getByLabelText('Trusted CA file (optional)') as HTMLInputElement;
    expect(ca.readOnly).toBe(true);
    await user.type(screen.getByLabelText('Name'), 'work');
    await user.type(screen.getByLabelText('Server'), 'imap.example.com');
    await user.type(screen.getByLabelText('User name'), 'me@example.com');
    await user.click(screen.getByRole('button', { name: 'Choose CA file…' }));
    await waitFor(() => expect(ca.value).toBe('/home/me/company-ca.pem'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.requests('saveAccount')).toHaveLength(1));
    const sent = fake.requests('saveAccount')[0];
    expect(sent.caFileChoice).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.account.caFile).toBe('/home/me/company-ca.pem');
    expect(fake.requests('chooseCaFile')).toEqual([{}]);
  });

  it('warns clearly when plain text is chosen', async () => {
    const { user } = await openNewAccount();
    expect(screen.queryByRole('note')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Security'), 'plaintext');
    expect(screen.getByRole('note').textContent).toMatch(/No encryption/);
  });

  it('shows "password saved in keychain" for a stored password, never the password', async () => {
    const fake = createFakeApi();
    addAccount(fake, 'work', { password: 'hunter2' });
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Accounts' }));
    await user.click(await screen.findByRole('button', { name: 'Edit work' }));
    const pw = screen.getByLabelText('Password') as HTMLInputElement;
    expect(pw.value).toBe('');
    expect(screen.getByText(/Password saved in keychain/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('hunter2');
  });
});

describe('keychain unavailable', () => {
  it('shows the banner with the reason, saves no password, and passes the typed one to each call', async () => {
    const { user, fake } = await openNewAccount({ available: false, reason: 'no Secret Service on the session bus' });
    const banner = await screen.findByText(/The system keychain is unavailable/);
    expect(banner.parentElement!.textContent).toContain('no Secret Service on the session bus');
    expect(banner.parentElement!.textContent).toMatch(/asked for them every time/);

    await user.type(screen.getByLabelText('Name'), 'work');
    await user.type(screen.getByLabelText('Server'), 'imap.example.com');
    await user.type(screen.getByLabelText('User name'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'typed-pw');
    expect(screen.getByText(/Not saved: the system keychain is unavailable/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await screen.findByText(/Connected to imap.example.com:993/);
    expect(fake.requests('testConnection')[0].password).toBe('typed-pw');

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.requests('saveAccount')).toHaveLength(1));
    expect(fake.requests('setPassword')).toHaveLength(0);

    // Later calls reuse the session's password without asking again.
    fake.state.folders.set('work', [{ path: 'INBOX', name: 'INBOX', delimiter: '/', messages: 1, selectable: true }]);
    await user.click(screen.getByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Add profile' }));
    await user.click(screen.getByRole('button', { name: 'Choose folders' }));
    await screen.findByRole('tree', { name: 'Folders' });
    expect(fake.requests('listFolders')).toEqual([{ name: 'work', password: 'typed-pw' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('untrusted certificate', () => {
  it('shows subject, issuer, validity and fingerprint; "Trust this certificate" pins exactly it and retests', async () => {
    const fake = createFakeApi();
    fake.script('testConnection', fail('TLS_UNTRUSTED', 'imap.example.com presented a certificate signed by an unknown authority.', { certificate: CERTIFICATE }));
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Accounts' }));
    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await user.type(screen.getByLabelText('Name'), 'work');
    await user.type(screen.getByLabelText('Server'), 'imap.example.com');
    await user.type(screen.getByLabelText('User name'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server certificate is not trusted');
    // Plain words, no command-line advice, the fingerprint once, and the decision before the facts.
    expect(alert.textContent).toContain('imap.example.com shows a certificate your system does not know');
    expect(alert.textContent).not.toMatch(/--ca-file|--pin-sha256|ignore/i);
    for (const text of ['CN=imap.example.com', 'CN=Example Internal CA', 'Jan  1 00:00:00 2026 GMT', 'Jan  1 00:00:00 2027 GMT', FINGERPRINT]) expect(alert.textContent).toContain(text);
    expect(alert.textContent!.split(FINGERPRINT)).toHaveLength(2);
    const trust = within(alert).getByRole('button', { name: 'Trust this certificate' });
    expect(trust.compareDocumentPosition(within(alert).getByText(FINGERPRINT)) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    await user.click(within(alert).getByRole('button', { name: 'Trust this certificate' }));
    await screen.findByText(/Connected to imap.example.com:993/);
    expect(fake.requests('saveAccount')).toHaveLength(1);
    expect(fake.requests('saveAccount')[0].account.pinnedFingerprint).toBe(FINGERPRINT);
    expect(fake.state.accounts.get('work')?.pinnedFingerprint).toBe(FINGERPRINT);
    const tests = fake.requests('testConnection');
    expect(tests).toHaveLength(2);
    expect(tests[1].account.pinnedFingerprint).toBe(FINGERPRINT);
    expect(screen.queryByRole('alert')).toBeNull();

    // Saving again after the pin updates the same account rather than failing as a duplicate.
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.requests('saveAccount')).toHaveLength(2));
    expect(fake.requests('saveAccount')[1].previousName).toBe('work');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('removing an account', () => {
  it('asks first; Escape keeps the account, confirming removes it', async () => {
    const fake = createFakeApi();
    addAccount(fake, 'work');
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Accounts' }));
    await user.click(await screen.findByRole('button', { name: 'Remove work' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('"work"');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fake.requests('removeAccount')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Remove work' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove account' }));
    await waitFor(() => expect(fake.requests('removeAccount')).toEqual([{ name: 'work' }]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Edit work' })).toBeNull());
  });
});

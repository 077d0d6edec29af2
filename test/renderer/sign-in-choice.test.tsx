// @vitest-environment jsdom
// The account form's sign-in choice: Microsoft and Google presets fill the IMAP server from main's
// answer, "Waiting for you to sign in in your browser…" with Cancel, "Signed in as …", a generic
// provider needs its issuer; the requests carry settings only, and no password field is shown.
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { createFakeApi, fail } from './fake-api.ts';
import { setup } from './render-app.tsx';

afterEach(cleanup);

async function openNewAccount() {
  const ctx = setup(<App />, createFakeApi());
  await ctx.user.click(await screen.findByRole('button', { name: 'Accounts' }));
  await ctx.user.click(await screen.findByRole('button', { name: 'Add account' }));
  return ctx;
}

describe('sign-in choice', () => {
  it('signs in with Microsoft: waits for the browser, then shows who signed in and fills the server from the preset', async () => {
    const { user, fake } = await openNewAccount();
    await user.type(screen.getByLabelText('Name'), 'work');
    await user.click(screen.getByLabelText('Sign in with Microsoft'));
    expect(screen.queryByLabelText('Password')).toBeNull();
    const button = screen.getByRole('button', { name: 'Sign in with Microsoft' });
    expect(button).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText('Client id'), '11111111-2222-3333-4444-555555555555');
    const held = fake.hold('startSignIn');
    await user.click(screen.getByRole('button', { name: 'Sign in with Microsoft' }));
    expect((await screen.findByRole('status')).textContent).toContain('Waiting for you to sign in in your browser…');
    expect(fake.requests('startSignIn')).toEqual([{ name: 'work', settings: { kind: 'oauth2', provider: 'microsoft', clientId: '11111111-2222-3333-4444-555555555555' } }]);
    held.resolve({ user: 'alice@contoso.com', where: 'keychain', imap: { host: 'outlook.office365.com', port: 993 } });
    await screen.findByText('Signed in as alice@contoso.com');
    expect(screen.getByLabelText('Server')).toHaveProperty('value', 'outlook.office365.com');
    expect(screen.getByLabelText('Port')).toHaveProperty('value', '993');
    expect(screen.getByLabelText('User name')).toHaveProperty('value', 'alice@contoso.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.requests('saveAccount')).toHaveLength(1));
    expect(fake.requests('saveAccount')[0].account).toMatchObject({ host: 'outlook.office365.com', username: 'alice@contoso.com', auth: { kind: 'oauth2', provider: 'microsoft' } });
    expect(fake.requests('setPassword')).toHaveLength(0);
  });

  it('Cancel asks main to stop waiting; "sign-in cancelled" is shown as the answer', async () => {
    const { user, fake } = await openNewAccount();
    await user.type(screen.getByLabelText('Name'), 'gmail');
    await user.click(screen.getByLabelText('Sign in with Google'));
    await user.type(screen.getByLabelText('Client id'), '123.apps.googleusercontent.com');
    const held = fake.hold('startSignIn');
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(fake.requests('cancelSignIn')).toEqual([{ name: 'gmail' }]);
    held.fail(fail('CANCELLED', 'sign-in cancelled').error);
    expect((await screen.findByRole('alert')).textContent).toContain('sign-in cancelled');
    expect(screen.queryByText(/Signed in as/)).toBeNull();
  });

  it('another provider needs an https issuer before it can sign in, and sends the scopes as a list', async () => {
    const { user, fake } = await openNewAccount();
    await user.type(screen.getByLabelText('Name'), 'corp');
    await user.type(screen.getByLabelText('User name'), 'alice@corp.example');
    await user.click(screen.getByLabelText('Other OAuth2 / OpenID provider'));
    await user.type(screen.getByLabelText('Client id'), 'mailbox2ics');
    await user.type(screen.getByLabelText('Issuer URL'), 'http://id.corp.example');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Enter the issuer URL, starting with https://.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Issuer URL'));
    await user.type(screen.getByLabelText('Issuer URL'), 'https://id.corp.example');
    await user.type(screen.getByLabelText('Scopes (optional)'), 'openid email  offline_access imap');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Signed in as alice@corp.example');
    expect(fake.requests('startSignIn')[0]).toEqual({
      name: 'corp', username: 'alice@corp.example',
      settings: { kind: 'oauth2', provider: 'generic', clientId: 'mailbox2ics', issuer: 'https://id.corp.example', scopes: ['openid', 'email', 'offline_access', 'imap'] },
    });
  });

  it("shows the saved account's sign-in and signs it out on request", async () => {
    const fake = createFakeApi();
    fake.state.accounts.set('work', { host: 'outlook.office365.com', security: 'tls', username: 'alice@contoso.com', auth: { kind: 'oauth2', provider: 'microsoft', clientId: 'app-id' } });
    fake.script('signInStatus', { ok: true, value: { signedIn: true, user: 'alice@contoso.com' } });
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Accounts' }));
    await user.click(await screen.findByRole('button', { name: /Edit work/ }));
    await screen.findByText(/Signed in as alice@contoso\.com/);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fake.requests('signOut')).toEqual([{ name: 'work' }]);
    await waitFor(() => expect(screen.queryByText(/Signed in as/)).toBeNull());
  });
});

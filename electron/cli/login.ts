// mailbox2ics login / logout --account NAME: signs a configured OAuth2 account in (system browser,
// printed URL with a loopback listener, or the device grant) or out (revoke, forget). Prints only
// URLs, codes and the user name; never a token.
import { execFile } from 'node:child_process';
import { loadConfig } from '../core/config/config-file.ts';
import { AppError } from '../core/errors.ts';
import { signIn, type SignInMethod } from '../core/auth/sign-in.ts';
import { oauthOf, TokenManagers } from '../core/auth/token-managers.ts';
import { keychainTokenStore } from '../core/auth/token-store.ts';
import { resolvePreset } from '../core/auth/provider-presets.ts';
import type { CliPlan } from './args.ts';
import type { CliIo } from './main.ts';

/** Opens a URL in the desktop's browser; the URL is an argument, never through a shell. */
function openInBrowser(url: string): Promise<void> {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  return new Promise((resolve, reject) => execFile(cmd, args as string[], (err) => (err ? reject(err) : resolve())));
}

async function accountOf(plan: CliPlan) {
  const file = plan.configFile!;
  const cfg = await loadConfig(file);
  const name = plan.account!;
  const account = cfg.accounts[name];
  if (!account) {
    const names = Object.keys(cfg.accounts);
    throw new AppError('CONFIG', `No account named "${name}" in ${file}${names.length ? ` (accounts: ${names.join(', ')})` : ''}.`, { account: name });
  }
  const settings = oauthOf(account, file);
  if (!settings) throw new AppError('USAGE', `The account "${name}" signs in with a password, not OAuth2: there is nothing to log in to (set "auth": {"kind": "oauth2", …} in ${file}).`, { account: name });
  return { name, account, settings };
}

export async function login(plan: CliPlan, io: CliIo, tokens?: TokenManagers): Promise<number> {
  const say = (m: string) => io.stderr.write(m + '\n');
  const { name, account, settings } = await accountOf(plan);
  const label = resolvePreset(settings).label;
  const managers = tokens ?? new TokenManagers(keychainTokenStore(io.openStore, say));
  let method: SignInMethod;
  if (plan.loginMethod === 'device') {
    method = {
      kind: 'device',
      show: (d) => say(`To sign in to ${label} as ${account.username}, open ${d.verificationUri} and enter the code ${d.userCode}${d.verificationUriComplete ? ` (or open ${d.verificationUriComplete})` : ''}. The code is valid for ${Math.max(1, Math.round(d.expiresInS / 60))} minutes. Waiting…`),
    };
  } else {
    const printOnly = plan.loginMethod === 'no-browser';
    method = {
      kind: 'browser',
      open: async (url) => {
        const port = new URL(new URL(url).searchParams.get('redirect_uri') ?? 'http://x').port;
        const where = `Waiting for the sign-in to come back to 127.0.0.1:${port} (from another machine: ssh -L ${port}:127.0.0.1:${port} THIS-HOST, then open the address there)…`;
        if (!printOnly) {
          try {
            await openInBrowser(url);
            say(`Opened your browser to sign in to ${label} as ${account.username}. If it did not open, visit:\n${url}\n${where}`);
            return;
          } catch {
            /* no desktop: print it */
          }
        }
        say(`Open this address in a browser to sign in to ${label} as ${account.username}:\n${url}\n${where}`);
      },
    };
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await signIn(managers, { accountName: name, settings, expectedUser: account.username, method, signal: abort.signal });
    say(`Signed in to ${label} as ${result.user} (account ${name}). ${result.where === 'keychain' ? 'The sign-in is kept in the system keychain; sync and serve use it from now on.' : 'There is no system keychain here, so the sign-in lasts only while this program runs: sync and serve cannot use it.'}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

export async function logout(plan: CliPlan, io: CliIo, tokens?: TokenManagers): Promise<number> {
  const say = (m: string) => io.stderr.write(m + '\n');
  const { name, settings } = await accountOf(plan);
  const managers = tokens ?? new TokenManagers(keychainTokenStore(io.openStore, say));
  const r = await managers.for(name, settings).signOut();
  const label = resolvePreset(settings).label;
  say(r.problem ? `Signed out of account ${name}, but ${r.problem}.` : r.revoked ? `Signed out of account ${name}: ${label} revoked the sign-in, and it was removed from the keychain.` : `Signed out of account ${name}: the sign-in was removed from the keychain (${label} offers no revocation).`);
  return 0;
}

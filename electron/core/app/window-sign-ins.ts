// The window's OAuth2 sign-ins: one at a time per account, in the system browser and only to an https
// page; whether and as whom a saved account is signed in; signing out. Answers name the user, never a token.
import type { Account } from '../../shared/config-schema.ts';
import type { Request, Response } from '../../shared/ipc-contract.ts';
import { AppError } from '../errors.ts';
import { oauthOf, type TokenManagers } from '../auth/token-managers.ts';
import { signIn } from '../auth/sign-in.ts';
import { resolvePreset } from '../auth/provider-presets.ts';
import { typedPathRefused } from './window-choices.ts';

export class WindowSignIns {
  /** Sign-ins waiting for the browser, by account name. */
  private readonly waiting = new Map<string, AbortController>();

  constructor(
    readonly tokens: TokenManagers,
    private readonly configFile: string,
    /** Opens the system browser (shell.openExternal in the app); never a webview. */
    private readonly openExternal?: (url: string) => Promise<void>,
  ) {}

  /** Whether the saved OAuth2 account has a kept sign-in. */
  async signedIn(name: string, account: Account): Promise<boolean> {
    const oauth = oauthOf(account, this.configFile);
    return !!oauth && !!(await this.tokens.for(name, oauth).signedInUser());
  }

  /**
   * After an edit: a renamed account keeps its sign-in (unless one was already made under the new
   * name), and an account that no longer signs in with OAuth2 leaves none behind.
   */
  async follow(from: string, to: string, before: Account | undefined, after: Account): Promise<void> {
    const old = oauthOf(before, this.configFile);
    if (!old) return;
    if (!oauthOf(after)) {
      await this.tokens.for(from, old).signOut();
    } else if (from !== to) {
      const store = this.tokens.store;
      const record = await store.get(from);
      if (record && !(await store.get(to))) await store.set(to, record);
      await store.delete(from);
    }
    this.tokens.forget(from);
    this.tokens.forget(to);
  }

  /** No sign-in stays behind for an account that is gone: revoked at the provider where it can be, and forgotten. */
  async removed(name: string, account: Account): Promise<void> {
    const oauth = oauthOf(account, this.configFile);
    if (oauth) await this.tokens.for(name, oauth).signOut();
    this.tokens.forget(name);
  }

  /**
   * Signs an account in through the system browser. The window names the provider settings; a CA
   * file for the issuer is only ever the saved account's own (`saved`).
   */
  async start(req: Request<'signin:start'>, saved: Account | undefined): Promise<Response<'signin:start'>> {
    const own = oauthOf(saved, this.configFile);
    if (req.settings.issuerCaFile !== undefined && req.settings.issuerCaFile !== oauthOf(saved)?.issuerCaFile) throw typedPathRefused('ca-file', req.settings.issuerCaFile);
    const settings = req.settings.issuerCaFile !== undefined ? { ...req.settings, issuerCaFile: own!.issuerCaFile } : req.settings;
    if (this.waiting.has(req.name)) throw new AppError('USAGE', `A sign-in for "${req.name}" is already waiting for the browser.`, { account: req.name });
    const open = this.openExternal;
    if (!open) throw new AppError('INTERNAL', 'No browser to sign in with.');
    const abort = new AbortController();
    this.waiting.set(req.name, abort);
    try {
      const r = await signIn(this.tokens, {
        accountName: req.name, settings, expectedUser: req.username || undefined, signal: abort.signal,
        method: {
          kind: 'browser',
          open: (url) => {
            // Only an https authorization endpoint is opened: the URL comes from the issuer's discovery document.
            if (new URL(url).protocol !== 'https:') throw new AppError('REFUSED', `The provider's sign-in page is not https (${new URL(url).protocol}); not opened.`);
            return open(url);
          },
        },
      });
      return { user: r.user, where: r.where, ...(resolvePreset(settings).imap ? { imap: resolvePreset(settings).imap } : {}) };
    } finally {
      this.waiting.delete(req.name);
    }
  }

  cancel(name: string): void {
    this.waiting.get(name)?.abort();
  }

  /** Whether the saved account has a usable sign-in, and as whom. */
  async status(name: string, account: Account | undefined): Promise<Response<'signin:status'>> {
    const settings = oauthOf(account, this.configFile);
    if (!settings) return { signedIn: false };
    const user = await this.tokens.for(name, settings).signedInUser();
    return user ? { signedIn: true, user } : { signedIn: false };
  }

  async signOut(name: string, account: Account | undefined): Promise<Response<'signin:sign-out'>> {
    const settings = oauthOf(account, this.configFile);
    if (!settings) return { revoked: false };
    return { revoked: (await this.tokens.for(name, settings).signOut()).revoked };
  }
}

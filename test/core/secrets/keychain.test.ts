// The keychain through keytar against a real Secret Service (gnome-keyring in its own D-Bus
// session), and the "keychain unavailable" path when there is no Secret Service at all.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarStore } from '../../../electron/core/secrets/secret-store.ts';
import { inKeyringSession, keyringAvailable } from '../../helpers/keyring-session.ts';

const PROBE = path.resolve(import.meta.dirname, 'keychain-probe.ts');

describe('SecretStore (keytar)', () => {
  it('set, get and delete against a real Secret Service', async () => {
    if (!keyringAvailable()) throw new Error('gnome-keyring / dbus-run-session missing: apt-get install -y gnome-keyring dbus');
    const r = await inKeyringSession([process.execPath, '--import', 'tsx', PROBE]);
    // dbus-daemon may note that it cannot raise its fd limit; no JavaScript error may appear.
    expect(r.stderr).not.toMatch(/Error: |KEYCHAIN_UNAVAILABLE/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: null, after: 'pä$$ word', deleted: true, gone: null, deletedAgain: false });
  });

  it('without a Secret Service, reports KEYCHAIN_UNAVAILABLE instead of failing silently', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus';
    try {
      const store = await keytarStore('mailbox2ics-test');
      const err = await store.get('x@y').catch((e) => e);
      expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(err.message).toMatch(/^The system keychain is not available: /);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});

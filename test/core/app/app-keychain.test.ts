// The app's password channels against a real Secret Service (gnome-keyring in a private D-Bus
// session): set / has / delete reach the OS keychain; without one, the app says so and saves nothing.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inKeyringSession, keyringAvailable } from '../../helpers/keyring-session.ts';

const probe = path.resolve(import.meta.dirname, 'keychain-probe.ts');
const parse = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

describe('keychain through the app service', () => {
  it('set, has and delete a password in a real Secret Service', async (ctx) => {
    if (!keyringAvailable()) ctx.skip(); // .ci/run installs gnome-keyring and dbus; say so when missing
    const r = await inKeyringSession([process.execPath, '--import', 'tsx', probe]);
    expect(r.stderr).not.toMatch(/Error:|at .*\.ts:/); // dbus-daemon's own notices may appear
    const out = parse(r.stdout);
    expect(out.info.keychain).toEqual({ available: true });
    expect(out.set).toEqual({ value: null });
    expect(out.afterSet.value[0].hasPassword).toBe(true);
    expect(JSON.stringify(out.afterSet)).not.toContain('pw-from-probe');
    expect(out.direct.value).toBe('pw-from-probe'); // it really is in the keychain, under user@host and the exact settings
    expect(out.afterDelete.value[0].hasPassword).toBe(false);
  });

  it('without a Secret Service the app reports the keychain unavailable and stores nothing anywhere', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    const out = parse(stdout);
    expect(out.info.keychain.available).toBe(false);
    expect(out.info.keychain.reason).toMatch(/keychain is not available/);
    expect(out.set.error).toBe('KEYCHAIN_UNAVAILABLE');
    expect(out.afterSet.value[0].hasPassword).toBe(false);
  });
});

// The loopback redirect listener: only 127.0.0.1, only our path and state, exactly one callback,
// closed afterwards, and a timeout or cancel ends the wait as "sign-in cancelled".
import { describe, expect, it } from 'vitest';
import { openLoopbackListener } from '../../../electron/core/auth/loopback-listener.ts';

const get = (url: string) => fetch(url).then((r) => r.status, () => 'refused' as const);

describe('loopback listener', () => {
  it('accepts exactly one callback with our state, then closes', async () => {
    const l = await openLoopbackListener({ host: '127.0.0.1', path: '/callback', state: () => 'our-state' });
    expect(l.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const base = l.redirectUri;
    expect(await get(`${base.replace('/callback', '/other')}?state=our-state`)).toBe(404);
    expect(await get(`${base}?code=x&state=someone-else`)).toBe(400);
    expect(l.closed).toBe(false);
    expect(await get(`${base}?code=abc&state=our-state&iss=https%3A%2F%2Fid.example`)).toBe(200);
    const url = await l.callback;
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.searchParams.get('iss')).toBe('https://id.example');
    expect(l.closed).toBe(true);
    expect(await get(`${base}?code=again&state=our-state`)).toBe('refused');
  });

  it('ends as "sign-in cancelled" on cancel and on timeout, and closes', async () => {
    const a = await openLoopbackListener({ host: '127.0.0.1', path: '/', state: () => 's' });
    a.cancel();
    await expect(a.callback).rejects.toMatchObject({ code: 'CANCELLED', message: 'sign-in cancelled' });
    expect(a.closed).toBe(true);
    const b = await openLoopbackListener({ host: '127.0.0.1', path: '/', state: () => 's', timeoutMs: 50 });
    await expect(b.callback).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(b.closed).toBe(true);
    expect(await get(b.redirectUri)).toBe('refused');
  });

  it('ignores every callback before the state exists', async () => {
    let state: string | undefined;
    const l = await openLoopbackListener({ host: '127.0.0.1', path: '/cb', state: () => state });
    expect(await get(`${l.redirectUri}?state=`)).toBe(400);
    state = 'now';
    expect(await get(`${l.redirectUri}?state=now&code=1`)).toBe(200);
    await expect(l.callback).resolves.toBeInstanceOf(URL);
  });
});

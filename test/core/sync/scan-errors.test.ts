// How a failure during an IMAP scan is named: a fault of ours (a TypeError, a stack overflow, a cache
// that fails) is an internal error, never "the connection failed"; the network and the server keep
// CONNECTION_LOST. Against the real Dovecot with a real (closed) SQLite cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { syncFromImap } from '../../../electron/core/sync/run-sync.ts';
import { isConnectionFailure } from '../../../electron/core/imap/connection-failure.ts';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';

let server: DovecotServer;
beforeAll(async () => {
  server = await startDovecot();
  server.addMessage('INBOX', buildMail({ subject: 'Invitation', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'one@example.com' })) }] }));
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('failures during a scan', () => {
  it('a failure that is not the network\'s is reported as an internal error, not as a lost connection', async () => {
    const cache = new SyncCache(path.join(mkdtempSync(path.join(tmpdir(), 'scan-err-')), 'cache.sqlite'));
    // A real cache that fails: better-sqlite3 throws a plain TypeError on a closed database.
    cache.close();
    const connect = { host: server.host, port: server.imapsPort, security: 'tls' as const, username: server.user, password: server.password, caFile: server.pki.caFile };
    const err = await syncFromImap({ connect, folders: ['INBOX'], include: new Set(['VEVENT']), cancelled: 'remove', maxPartBytes: 10 << 20, cache }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INTERNAL');
    expect((err as AppError).message).toMatch(/Internal error while scanning 127\.0\.0\.1 \(not a connection problem\): .*not open/);
    expect((err as AppError).message).not.toMatch(/connection to .* failed/);
  });

  it('tells network and server failures from everything else', () => {
    for (const e of [{ code: 'ECONNRESET' }, { code: 'EPIPE' }, { code: 'NoConnection' }, { code: 'ETIMEOUT' }, { code: 'ParserError3' }, { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, { responseStatus: 'NO' }]) {
      expect(isConnectionFailure(Object.assign(new Error('x'), e)), JSON.stringify(e)).toBe(true);
    }
    for (const e of [new TypeError('Cannot read properties of undefined'), new RangeError('Maximum call stack size exceeded'), Object.assign(new Error('NOT NULL constraint failed'), { code: 'SQLITE_CONSTRAINT_NOTNULL' }), 'a string']) {
      expect(isConnectionFailure(e), String(e)).toBe(false);
    }
    // Whatever the error, a connection imapflow gave up on is a connection failure.
    expect(isConnectionFailure(new TypeError('x'), { usable: false })).toBe(true);
  });
});

// Hole 3: a CA file path from the window (/dev/zero crashed main; any path probed existence). CA
// files come only from main's open dialog and are read as regular files of at most 1 MB.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { startRecordingImap, type RecordingImap } from '../../helpers/recording-imap.ts';
import { windowUnderTest } from '../../helpers/window-requests.ts';

let server: DovecotServer;
let fake: RecordingImap;

beforeAll(async () => {
  server = await startDovecot();
  fake = await startRecordingImap();
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});

describe('CA files from the window', () => {
  it('a typed CA path is refused before anything reads it, with the same answer whether or not it exists', async () => {
    const w = windowUnderTest();
    const acc = (caFile: string) => ({ host: fake.host, port: fake.port, security: 'starttls', username: 'alice', caFile });
    const answers = [];
    for (const caFile of ['/dev/zero', '/nonexistent/ca.pem', '/etc/hostname', server.pki.caFile]) {
      const saved = await w.send('accounts:save', { name: 'work', account: acc(caFile) });
      expect(saved).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
      const tested = await w.send('connection:test', { account: acc(caFile), password: 'typed' });
      expect(tested).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
      answers.push([saved, tested].map((r) => (r.ok ? '' : r.error.message.replace(caFile, 'PATH'))));
    }
    // Nothing tells the window whether a path exists.
    expect(new Set(answers.map((a) => a.join('|'))).size).toBe(1);
    expect(answers[0][0]).toContain('was not chosen in the system\'s file dialog');
    expect(existsSync(w.configFile)).toBe(false);
    expect(fake.connections()).toBe(0);
  });

  it('the open dialog\'s choice is read as a regular PEM file of at most 1 MB, without hanging on a FIFO', async () => {
    const w = windowUnderTest();
    const fifo = path.join(w.dir, 'ca.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = path.join(w.dir, 'big.pem');
    writeFileSync(big, readFileSync(server.pki.caFile, 'utf8') + '#'.repeat(1024 * 1024));
    const notPem = path.join(w.dir, 'not.pem');
    writeFileSync(notPem, 'hello\n');
    for (const [file, why] of [['/dev/zero', 'not a regular file'], [fifo, 'not a regular file'], [w.dir, 'not a regular file'], [big, 'larger than 1 MB'], [notPem, 'no PEM certificate'], ['/nonexistent/ca.pem', 'ENOENT']]) {
      w.dialogs.caFile = file;
      const r = await w.send('dialog:choose-ca-file', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFIG', message: expect.stringContaining(why) } });
    }
    w.dialogs.caFile = undefined;
    expect(await w.ok('dialog:choose-ca-file', {})).toEqual({ chosen: false });
  });

  it('a chosen CA file is used by its token: saved with the account, and it connects', async () => {
    const w = windowUnderTest();
    const ca = path.join(w.dir, 'company-ca.pem');
    copyFileSync(server.pki.caFile, ca);
    w.dialogs.caFile = ca;
    const c = await w.ok<{ chosen: true; token: string; path: string }>('dialog:choose-ca-file', {});
    expect(c.path).toBe(ca);
    const account = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, caFile: '/typed/other.pem' };
    const saved = await w.ok<{ account: { caFile: string } }>('accounts:save', { name: 'work', account, caFileChoice: c.token });
    expect(saved.account.caFile).toBe(ca); // the chosen file, whatever path the window sent
    expect(await w.ok('connection:test', { account: saved.account, name: 'work', password: server.password })).toMatchObject({ folders: expect.any(Number) });
    // Kept unchanged it needs no new choice.
    await w.ok('accounts:save', { name: 'work', previousName: 'work', account: saved.account });
  });
});

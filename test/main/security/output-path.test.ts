// Hole 2: a window that names a profile's output (~/.bashrc) or exports over any file would make main
// overwrite it on every sync. Outputs come only from main's save dialog, end in .ics, and replace
// only calendars; "Open folder" shows only calendar files mailbox2ics knows.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { windowUnderTest, type WindowUnderTest } from '../../helpers/window-requests.ts';

let server: DovecotServer;
let w: WindowUnderTest;
let home: string;
const BASHRC = 'alias ls="ls --color"\n';
const NOTES = 'my notes, not a calendar\n';

const profile = (output: string) => ({ account: 'work', folders: ['Team'], output });
const config = () => readFileSync(w.configFile, 'utf8');

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Team');
  server.addMessage('Team', buildMail({ subject: 'Invitation', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'a@corp.example', summary: 'SUMMARY:$(touch /tmp/pwned)' })) }] }));
  w = windowUnderTest();
  home = path.join(w.dir, 'home');
  mkdirSync(home);
  writeFileSync(path.join(home, '.bashrc'), BASHRC);
  writeFileSync(path.join(home, 'notes.ics'), NOTES);
  writeFileSync(path.join(home, 'old.ics'), 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
  await w.ok('accounts:save', { name: 'work', account: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 } });
  await w.ok('password:set', { name: 'work', password: server.password });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('calendar files come only from the native save dialog', () => {
  it('profiles:save with a path the window typed is refused and nothing changes', async () => {
    const before = config();
    for (const output of [path.join(home, '.bashrc'), path.join(home, 'team.ics'), '~/.bashrc']) {
      const r = await w.send('profiles:save', { name: 'team', profile: profile(output) });
      expect(r).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining('was not chosen in the system\'s file dialog') } });
    }
    // A forged token is no better.
    const forged = await w.send('profiles:save', { name: 'team', profile: profile(path.join(home, '.bashrc')), outputChoice: 'ab'.repeat(16) });
    expect(forged).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining('unknown or expired') } });
    expect(config()).toBe(before);
    expect(readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe(BASHRC);
  });

  it('the dialog\'s choice must end in .ics and may replace only a calendar', async () => {
    for (const [file, why] of [[path.join(home, '.bashrc'), 'must end in .ics'], [path.join(home, 'notes.ics'), 'is not a calendar file']]) {
      w.dialogs.savePath = file;
      const r = await w.send('dialog:choose-output', { profile: 'team' });
      expect(r).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining(why) } });
    }
    expect(readFileSync(path.join(home, 'notes.ics'), 'utf8')).toBe(NOTES);
    // An existing calendar or a new .ics file is fine; the profile then takes the chosen path, not the typed one.
    w.dialogs.savePath = path.join(home, 'old.ics');
    const c = await w.ok<{ chosen: true; token: string; path: string }>('dialog:choose-output', { profile: 'team' });
    expect(c.path).toBe(path.join(home, 'old.ics'));
    const saved = await w.ok<{ profile: { output: string } }>('profiles:save', { name: 'team', profile: profile(path.join(home, '.bashrc')), outputChoice: c.token });
    expect(saved.profile.output).toBe(path.join(home, 'old.ics'));
    // Editing the profile without a new choice keeps its output; changing it without one is refused.
    await w.ok('profiles:save', { name: 'team', previousName: 'team', profile: { ...profile(path.join(home, 'old.ics')), folders: ['Team', 'INBOX'] } });
    expect(await w.send('profiles:save', { name: 'team', previousName: 'team', profile: profile(path.join(home, '.bashrc')) })).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    // A CA-file token is not an output token.
    w.dialogs.caFile = server.pki.caFile;
    const ca = await w.ok<{ token: string }>('dialog:choose-ca-file', {});
    expect(await w.send('profiles:save', { name: 'team', previousName: 'team', profile: profile('x.ics'), outputChoice: ca.token })).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(JSON.parse(config()).profiles.team.output).toBe(path.join(home, 'old.ics'));
  });

  it('export:save never replaces a file that is not a calendar, and the scan then writes only the chosen calendar', async () => {
    await w.ok('scan:run', { scanId: 's1', profile: 'team' });
    w.dialogs.savePath = path.join(home, 'notes.ics');
    expect(await w.send('export:save', { scanId: 's1' })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining('not a calendar file') } });
    w.dialogs.savePath = path.join(home, '.bashrc');
    expect(await w.send('export:save', { scanId: 's1' })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining('.ics') } });
    expect(readFileSync(path.join(home, 'notes.ics'), 'utf8')).toBe(NOTES);
    expect(readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe(BASHRC);
    expect(JSON.parse(config()).profiles.team.output).toBe(path.join(home, 'old.ics'));
    w.dialogs.savePath = path.join(home, 'old.ics');
    expect(await w.ok('export:save', { scanId: 's1' })).toEqual({ saved: true, path: path.join(home, 'old.ics') });
    expect(readFileSync(path.join(home, 'old.ics'), 'utf8')).toContain('SUMMARY:SUMMARY:$(touch /tmp/pwned)');
  });

  it('shell:show-in-folder shows only calendar files mailbox2ics wrote or a profile names', async () => {
    for (const p of ['/etc/passwd', path.join(home, '.bashrc'), path.join(home, 'notes.ics'), `${path.join(home, 'old.ics')}/../.bashrc`]) {
      expect(await w.send('shell:show-in-folder', { path: p })).toMatchObject({ ok: false, error: { message: expect.stringContaining('not a calendar file mailbox2ics wrote') } });
    }
    expect(w.shown).toEqual([]);
    await w.ok('shell:show-in-folder', { path: path.join(home, 'old.ics') });
    expect(w.shown).toEqual([path.join(home, 'old.ics')]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseSize } from '../../electron/cli/args.ts';
import { runCli } from '../../electron/cli/main.ts';

describe('parseCliArgs', () => {
  it('keeps the 2007 positional form: hostname username mailbox...', () => {
    const p = parseCliArgs(['-o', 'out.ics', '--port', '1993', 'imap.example.com', 'alice', 'INBOX', 'Public Folders/Events']);
    expect(p).toMatchObject({ mode: 'imap', host: 'imap.example.com', username: 'alice', folders: ['INBOX', 'Public Folders/Events'], port: 1993, output: 'out.ics', security: 'tls', cancelled: 'remove' });
    expect([...p.include]).toEqual(['VEVENT']);
    expect(p.maxPartBytes).toBe(10 * 1024 * 1024);
  });

  it('parses the new flags', () => {
    const p = parseCliArgs(['--starttls', '--include', 'vtodo,VJOURNAL', '--cancelled', 'keep', '--max-part-size', '2MB', 'h', 'u', 'f']);
    expect(p.security).toBe('starttls');
    expect([...p.include].sort()).toEqual(['VEVENT', 'VJOURNAL', 'VTODO']);
    expect(p.cancelled).toBe('keep');
    expect(p.maxPartBytes).toBe(2 * 1024 * 1024);
  });

  it.each([
    [['h', 'u'], /missing mailbox/],
    [[], /missing hostname, username and mailbox/],
    [['--port', '99999', 'h', 'u', 'f'], /--port "99999" is not a port number/],
    [['--cancelled', 'hide', 'h', 'u', 'f'], /--cancelled must be "remove" or "keep"/],
    [['--include', 'VALARM', 'h', 'u', 'f'], /unknown component type "VALARM"/],
    [['--starttls', '--insecure-plaintext', 'h', 'u', 'f'], /cannot be combined/],
    [['--bogus', 'h', 'u', 'f'], /Unknown option '--bogus'/],
    [['--list-folders', 'h'], /--list-folders needs exactly: hostname username/],
    [['--ca-file', '/nonexistent/ca.pem', 'h', 'u', 'f'], /--ca-file: \/nonexistent\/ca.pem does not exist/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });

  it('parses filters', () => {
    const p = parseCliArgs(['--allow-sender', 'example.com', '--subject', 'Invitation', '--header', 'X-Mailer: Outlook', '--window=-30d..+365d', '--match', 'summary=glob:*sync*', 'h', 'u', 'f']);
    expect(p.serverFilter.search).toMatchObject({ from: 'example.com', subject: 'Invitation', header: { 'X-Mailer': 'Outlook' } });
    expect(p.eventFilter.isEmpty).toBe(false);
  });

  it('explains how to pass a value that starts with "-"', () => {
    expect(() => parseCliArgs(['--window', '-30d..+365d', 'h', 'u', 'f'])).toThrow(/write it as --window=VALUE/);
  });

  it.each([
    [['--window', 'last week', 'h', 'u', 'f'], /--window "last week" must be FROM\.\.TO/],
    [['--since', '2026-02-31', 'h', 'u', 'f'], /--since "2026-02-31" is not a valid date/],
    [['--match', 'colour=red', 'h', 'u', 'f'], /unknown field "colour"/],
    [['--exclude', 'summary=[', 'h', 'u', 'f'], /invalid regular expression/],
    [['--header', 'no-colon', 'h', 'u', 'f'], /must look like NAME:VALUE/],
    [['--subject', 'x', '--maildir', 'dir'], /need a server, not local files/],
  ])('bad filter %j is a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });

  it('a bad filter stops the run with exit 2 before any connection is attempted', async () => {
    let stderr = '';
    const sink = { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
    // Port 1 refuses connections: had it connected, the exit code would be 3.
    const code = await runCli(['--port', '1', '--match', 'summary=(', '127.0.0.1', 'u', 'INBOX'], { stderr: sink, stdout: sink, env: { MAILBOX2ICS_PASSWORD: 'x' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--match "summary=\(": invalid regular expression/);
  });

  it('local sources', () => {
    expect(parseCliArgs(['--maildir', 'a', '--maildir', 'b', '--mbox', 'c.mbox'])).toMatchObject({ mode: 'local', maildirs: ['a', 'b'], mboxes: ['c.mbox'] });
  });

  it('parseSize', () => {
    expect(parseSize('512')).toBe(512);
    expect(parseSize('1.5kb')).toBe(1536);
    expect(() => parseSize('ten')).toThrow(/not a size/);
  });
});

describe('login / logout arguments', () => {
  it('parses login with its sign-in method and the default or given configuration', () => {
    expect(parseCliArgs(['login', '--account', 'work', '--config', 'c.json'])).toMatchObject({ mode: 'login', account: 'work', loginMethod: 'browser', configFile: 'c.json' });
    expect(parseCliArgs(['login', '--account', 'work', '--device'])).toMatchObject({ mode: 'login', loginMethod: 'device' });
    expect(parseCliArgs(['login', '--account', 'work', '--no-browser']).configFile).toMatch(/mailbox2ics[\\/]config\.json$/);
    expect(parseCliArgs(['logout', '--account', 'work'])).toMatchObject({ mode: 'logout', account: 'work' });
  });

  it.each([
    [['login'], /login needs --account NAME/],
    [['login', '--account', 'a b'], /--account "a b": names use/],
    [['login', '--account', 'w', '--device', '--no-browser'], /choose one/],
    [['logout', '--account', 'w', '--device'], /are for login/],
    [['login', '--account', 'w', '--output', 'x.ics'], /--output cannot be combined with login/],
    [['login', '--account', 'w', 'extra'], /unexpected "extra" after login/],
    [['sync', '--config', 'c.json', '--device'], /are for: mailbox2ics login --account NAME/],
  ])('%j is a usage error', (argv, re) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(re);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseSize } from '../../electron/cli/args.ts';

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

  it('local sources', () => {
    expect(parseCliArgs(['--maildir', 'a', '--maildir', 'b', '--mbox', 'c.mbox'])).toMatchObject({ mode: 'local', maildirs: ['a', 'b'], mboxes: ['c.mbox'] });
  });

  it('parseSize', () => {
    expect(parseSize('512')).toBe(512);
    expect(parseSize('1.5kb')).toBe(1536);
    expect(() => parseSize('ten')).toThrow(/not a size/);
  });
});

// The CI check of a packed app (scripts/check-packaged.mjs), run here on a stand-in Linux layout: an
// "app binary" that carries a fuse wire and runs the real command line as the packaged one would.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackaged } from '../../scripts/check-packaged.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const dir = mkdtempSync(path.join(tmpdir(), 'check-packaged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The npm command's calendar, made once, as the workflow makes it before rebuilding for Electron.
const REFERENCE = path.join(dir, 'reference.ics');
beforeAll(() => {
  execFileSync(process.execPath, ['electron/cli/bin.mjs', '--maildir', 'resources/sample-mailbox', '-q', '-o', REFERENCE], { cwd: ROOT });
});

/** linux-unpacked/ with the real launcher and a stand-in binary (fuse wire in a comment; runs electron/cli/bin.mjs). */
function packed(name: string, wire: string, versionOverride?: string): string {
  const base = path.join(dir, name, 'linux-unpacked');
  mkdirSync(path.join(base, 'resources', 'bin'), { recursive: true });
  copyFileSync(path.join(ROOT, 'packaging', 'bin', 'mailbox2ics'), path.join(base, 'resources', 'bin', 'mailbox2ics'));
  chmodSync(path.join(base, 'resources', 'bin', 'mailbox2ics'), 0o755);
  const body = [
    `#!${process.execPath}`,
    `// ${SENTINEL}\x01\x08${wire}`,
    `const args = process.argv.slice(2);`,
    `if (args[0] !== '--mailbox2ics-cli' || args[1] !== '--') process.exit(90);`,
    versionOverride ? `if (args[2] === '--version') { process.stdout.write(${JSON.stringify(versionOverride)}); process.exit(0); }` : '',
    `const r = require('node:child_process').spawnSync(process.execPath, [${JSON.stringify(path.join(ROOT, 'electron', 'cli', 'bin.mjs'))}, ...args.slice(2)], { stdio: 'inherit' });`,
    `process.exit(r.status ?? 1);`,
  ].join('\n');
  writeFileSync(path.join(base, 'mailbox2ics'), body);
  chmodSync(path.join(base, 'mailbox2ics'), 0o755);
  return path.join(dir, name);
}

describe('check of a packed app', () => {
  it('passes a package with the configured fuses whose command line works', async () => {
    const said: string[] = [];
    // RunAsNode 0, cookies 1, NODE_OPTIONS 0, inspect 0, integrity 0 (Linux), asar only 1, V8 0, file 1.
    expect(await checkPackaged(packed('good', '01000101'), { platform: 'linux', say: (m) => said.push(m) })).toEqual([]);
    expect(said).toContain('packaged command: the sample mailbox gives the same calendar as the npm command');
  });

  it('fails a package whose fuses were not flipped', async () => {
    const unflipped = await checkPackaged(packed('unflipped', '10110001'), { platform: 'linux', reference: REFERENCE, say: () => {} });
    expect(unflipped).toEqual(expect.arrayContaining(['fuse 0 is 1, expected off', 'fuse 5 is 0, expected on']));
  });

  it('compares with a reference calendar when one is given, and fails a package whose command line reports another version', async () => {
    expect(await checkPackaged(packed('with-reference', '01000101'), { platform: 'linux', reference: REFERENCE, say: () => {} })).toEqual([]);
    const wrongVersion = await checkPackaged(packed('version', '01000101', 'mailbox2ics 0.0.0\n'), { platform: 'linux', reference: REFERENCE, say: () => {} });
    expect(wrongVersion).toEqual([expect.stringContaining('--version said "mailbox2ics 0.0.0"')]);
  });
});

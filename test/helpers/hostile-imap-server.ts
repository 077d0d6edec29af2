// Plays an IMAP server over a real socket (TLS or plain) from a script: honest answers to CAPABILITY,
// LOGIN, LIST, EXAMINE, UID SEARCH and FETCH for the given messages, plus the hostile ones the script
// asks for (unsolicited FETCH, absurd EXISTS, oversized literals, endless "* OK"). Test-only; loopback only.
import net from 'node:net';
import tls from 'node:tls';
import { bodystructure, envelope, parseNode, q, section, type Node } from './imap-describe.ts';

export interface HostileMessage {
  uid: number;
  raw: Buffer;
}

/** One client command as the server saw it. */
export interface SeenCommand {
  tag: string;
  name: string; // upper case, "UID FETCH" for UID commands
  args: string;
  folder?: string;
}

export interface HostileScript {
  /** EXISTS announced by EXAMINE for a folder (default: its real count). */
  exists?(folder: string): number | undefined;
  /** Untagged lines sent before the real answer of a command (e.g. unsolicited FETCH responses). */
  inject?(cmd: SeenCommand): string[] | undefined;
  /** Whole untagged FETCH responses (with literals) sent after the real answer, before the tagged OK. */
  extraFetch?(cmd: SeenCommand): Buffer[] | undefined;
  /** For a body section of a message: announce a literal of this many bytes instead and stream it. */
  hugeLiteral?(uid: number, section: string): number | undefined;
  /** Answer this command with "* OK" lines forever (until the client goes away). */
  flood?(cmd: SeenCommand): boolean;
}

export interface HostileServerOptions {
  folders: Record<string, HostileMessage[]>;
  user?: string;
  password?: string;
  /** Implicit TLS with this key and certificate (PEM); plain TCP without. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  script?: HostileScript;
}

export interface HostileServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** Every command received, in order, over all connections. */
  readonly commands: SeenCommand[];
  readonly connections: number;
  /** Bytes of oversized literals and "* OK" floods actually written before the client gave up. */
  readonly hostileBytesSent: number;
  stop(): Promise<void>;
}

// ---- the conversation --------------------------------------------------------------------------

function uidsIn(set: string, all: number[], byUid: boolean): number[] {
  const max = byUid ? Math.max(0, ...all) : all.length;
  const out = new Set<number>();
  for (const r of set.split(',')) {
    const [a, b] = r.split(':').map((x) => (x === '*' ? max : Number(x)));
    const lo = Math.min(a, b ?? a);
    const hi = Math.max(a, b ?? a);
    if (byUid) {
      for (const u of all) if (u >= lo && u <= hi) out.add(u);
    } else {
      for (let i = Math.max(1, lo); i <= hi && i <= all.length; i++) out.add(all[i - 1]);
    }
  }
  return [...out].sort((x, y) => x - y);
}

export async function startHostileImapServer(opts: HostileServerOptions): Promise<HostileServer> {
  const user = opts.user ?? 'alice';
  const password = opts.password ?? 'secret';
  const script = opts.script ?? {};
  const commands: SeenCommand[] = [];
  const sockets = new Set<net.Socket>();
  const stats = { connections: 0, hostileBytes: 0 };
  const parsed = new Map<HostileMessage, Node>();
  const nodeOf = (m: HostileMessage) => parsed.get(m) ?? parsed.set(m, parseNode(m.raw)).get(m)!;

  const handle = (socket: net.Socket) => {
    stats.connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let folder: string | undefined;
    let buf = Buffer.alloc(0);
    let busy = Promise.resolve();
    const alive = () => !socket.destroyed && socket.writable;
    const write = (data: string | Buffer) => new Promise<void>((resolve) => {
      if (!alive()) return resolve();
      if (socket.write(data)) return resolve();
      const done = () => (socket.off('drain', done), socket.off('close', done), resolve());
      socket.once('drain', done);
      socket.once('close', done);
    });
    const flood = async () => {
      const line = Buffer.from('* OK still working on it\r\n'.repeat(64));
      while (alive()) {
        await write(line);
        stats.hostileBytes += line.length;
        await new Promise((r) => setImmediate(r));
      }
    };
    const streamLiteral = async (bytes: number) => {
      const block = Buffer.alloc(1 << 16, 0x78);
      for (let sent = 0; sent < bytes && alive(); sent += block.length) {
        const piece = block.subarray(0, Math.min(block.length, bytes - sent));
        await write(piece);
        stats.hostileBytes += piece.length;
      }
    };

    const fetch = async (cmd: SeenCommand, byUid: boolean) => {
      const msgs = opts.folders[folder!] ?? [];
      const m = /^(\S+)\s+(.*)$/.exec(cmd.args);
      if (!m) return write(`${cmd.tag} BAD fetch what?\r\n`);
      const items = [...m[2].matchAll(/BODY(?:\.PEEK)?\[([^\]]*)\](?:<(\d+)\.(\d+)>)?|[A-Z0-9.]+/gi)].map((x) => x);
      const all = msgs.map((x) => x.uid);
      for (const uid of uidsIn(m[1], all, byUid)) {
        const seq = all.indexOf(uid) + 1;
        const msg = msgs[seq - 1];
        const root = nodeOf(msg);
        const out: Array<string | Buffer | number> = [`* ${seq} FETCH (UID ${uid}`];
        for (const it of items) {
          const word = it[0].toUpperCase();
          if (word === 'UID' || word === 'FETCH') continue;
          if (word === 'FLAGS') out.push(' FLAGS ()');
          else if (word === 'INTERNALDATE') out.push(' INTERNALDATE "05-Jan-2026 09:00:00 +0000"');
          else if (word === 'RFC822.SIZE') out.push(` RFC822.SIZE ${msg.raw.length}`);
          else if (word === 'ENVELOPE') out.push(` ENVELOPE ${envelope(root.header)}`);
          else if (word === 'BODYSTRUCTURE') out.push(` BODYSTRUCTURE ${bodystructure(root)}`);
          else if (word.startsWith('BODY')) {
            const spec = it[1] ?? '';
            const huge = script.hugeLiteral?.(uid, spec);
            if (huge !== undefined) {
              out.push(` BODY[${spec}]${it[2] ? `<${it[2]}>` : ''} {${huge}}\r\n`, huge);
              continue;
            }
            let data = section(root, msg.raw, spec);
            if (data && it[2] !== undefined) data = data.subarray(Number(it[2]), Number(it[2]) + Number(it[3]));
            out.push(` BODY[${spec}]${it[2] ? `<${it[2]}>` : ''} `, data ? Buffer.concat([Buffer.from(`{${data.length}}\r\n`), data]) : 'NIL');
          }
        }
        out.push(')\r\n');
        for (const piece of out) {
          if (typeof piece === 'number') await streamLiteral(piece);
          else await write(piece);
          if (!alive()) return;
        }
      }
      for (const extra of script.extraFetch?.(cmd) ?? []) await write(extra);
      await write(`${cmd.tag} OK FETCH completed\r\n`);
    };

    const run = async (cmd: SeenCommand) => {
      for (const line of script.inject?.(cmd) ?? []) await write(line + '\r\n');
      if (script.flood?.(cmd)) return flood();
      const { tag, name, args } = cmd;
      switch (name) {
        case 'CAPABILITY':
          await write('* CAPABILITY IMAP4rev1\r\n');
          return write(`${tag} OK CAPABILITY completed\r\n`);
        case 'NOOP':
          return write(`${tag} OK NOOP completed\r\n`);
        case 'LOGIN': {
          const [u, p] = [...args.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((x) => (x[1] ?? x[2]).replace(/\\(.)/g, '$1'));
          if (u === user && p === password) return write(`${tag} OK [CAPABILITY IMAP4rev1] Logged in\r\n`);
          return write(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
        }
        case 'LIST':
        case 'LSUB':
          if (/^""\s+""$/.test(args)) await write(`* ${name} (\\Noselect) "/" ""\r\n`); // the delimiter query
          else for (const f of Object.keys(opts.folders)) await write(`* ${name} (\\HasNoChildren) "/" ${q(f)}\r\n`);
          return write(`${tag} OK ${name} completed\r\n`);
        case 'STATUS': {
          const f = /^"?([^"]*)"?/.exec(args)![1];
          await write(`* STATUS ${q(f)} (MESSAGES ${(opts.folders[f] ?? []).length})\r\n`);
          return write(`${tag} OK STATUS completed\r\n`);
        }
        case 'EXAMINE':
        case 'SELECT': {
          const f = /^"?([^"]*)"?/.exec(args)![1];
          const msgs = opts.folders[f];
          if (!msgs) return write(`${tag} NO Mailbox doesn't exist: ${f}\r\n`);
          folder = f;
          cmd.folder = f;
          await write(`* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* ${script.exists?.(f) ?? msgs.length} EXISTS\r\n* 0 RECENT\r\n`);
          await write(`* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT ${Math.max(0, ...msgs.map((x) => x.uid)) + 1}] Predicted next UID\r\n`);
          return write(`${tag} OK [READ-ONLY] EXAMINE completed\r\n`);
        }
        case 'CLOSE':
        case 'UNSELECT':
          folder = undefined;
          return write(`${tag} OK ${name} completed\r\n`);
        case 'LOGOUT':
          await write(`* BYE Logging out\r\n${tag} OK LOGOUT completed\r\n`);
          socket.end();
          return;
        case 'UID SEARCH':
        case 'SEARCH': {
          const msgs = opts.folders[folder ?? ''] ?? [];
          const all = msgs.map((x) => x.uid);
          const range = /^UID\s+(\S+)/i.exec(args)?.[1];
          const hits = range ? uidsIn(range, all, true) : all;
          await write(`* SEARCH${hits.map((u) => ` ${name === 'SEARCH' ? all.indexOf(u) + 1 : u}`).join('')}\r\n`);
          return write(`${tag} OK SEARCH completed\r\n`);
        }
        case 'UID FETCH':
        case 'FETCH':
          if (!folder) return write(`${tag} BAD No mailbox selected\r\n`);
          return fetch(cmd, name === 'UID FETCH');
        default:
          return write(`${tag} BAD Unknown command ${name}\r\n`);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.subarray(0, nl).toString('utf8');
        buf = buf.subarray(nl + 2);
        const m = /^(\S+)\s+(UID\s+\S+|\S+)\s*(.*)$/i.exec(line);
        if (!m) continue;
        const cmd: SeenCommand = { tag: m[1], name: m[2].toUpperCase().replace(/\s+/g, ' '), args: m[3], folder };
        commands.push(cmd);
        busy = busy.then(() => run(cmd)).catch(() => void socket.destroy());
      }
    });
    void write('* OK [CAPABILITY IMAP4rev1] hostile test server ready\r\n');
  };

  const server = opts.tls ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handle) : net.createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    user,
    password,
    commands,
    get connections() {
      return stats.connections;
    },
    get hostileBytesSent() {
      return stats.hostileBytes;
    },
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

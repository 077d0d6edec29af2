// A fake IMAP server on loopback that records every byte clients send (to prove which password went
// where, or that none did) and rejects every login. Speaks just enough IMAP for a client to try:
// greeting, CAPABILITY, LOGIN/AUTHENTICATE (literals included), LOGOUT. Test-only.
import net from 'node:net';

export interface RecordingImap {
  host: string;
  port: number;
  /** Everything received, all connections, as text. */
  received(): string;
  /** Connections accepted so far. */
  connections(): number;
  /** True if the text, or its base64 in a SASL PLAIN exchange, reached this server. */
  sawSecret(secret: string): boolean;
  close(): Promise<void>;
}

export async function startRecordingImap(host = '127.0.0.1'): Promise<RecordingImap> {
  let transcript = '';
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    let literal = 0;
    sock.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] recording fake ready\r\n');
    sock.on('data', (d: Buffer) => {
      transcript += d.toString('latin1');
      buf += d.toString('latin1');
      for (;;) {
        if (literal > 0) {
          const take = Math.min(literal, buf.length);
          buf = buf.slice(take);
          literal -= take;
          if (literal > 0) return;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const lit = /\{(\d+)(\+?)\}$/.exec(line);
        if (lit) {
          literal = Number(lit[1]);
          if (!lit[2]) sock.write('+ go ahead\r\n');
          continue;
        }
        const [tag, cmd = ''] = line.split(' ');
        const verb = cmd.toUpperCase();
        if (verb === 'CAPABILITY') sock.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
        else if (verb === 'LOGIN') sock.write(`${tag} NO [AUTHENTICATIONFAILED] this fake server rejects every login\r\n`);
        else if (verb === 'AUTHENTICATE') {
          if (/AUTHENTICATE PLAIN \S+/i.test(line)) sock.write(`${tag} NO [AUTHENTICATIONFAILED] rejected\r\n`);
          else {
            sock.write('+ \r\n');
            pendingSasl = tag;
          }
        } else if (verb === 'LOGOUT') sock.end(`* BYE\r\n${tag} OK bye\r\n`);
        else if (pendingSasl) {
          sock.write(`${pendingSasl} NO [AUTHENTICATIONFAILED] rejected\r\n`);
          pendingSasl = '';
        } else sock.write(`${tag} BAD unknown command\r\n`);
      }
    });
    let pendingSasl = '';
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host,
    port,
    received: () => transcript,
    connections: () => connections,
    sawSecret: (secret) => {
      if (transcript.includes(secret)) return true;
      // SASL PLAIN carries "\0user\0password" in base64: look for the password inside every decoded token.
      return (transcript.match(/[A-Za-z0-9+/=]{8,}/g) ?? []).some((t) => Buffer.from(t, 'base64').toString('latin1').includes(secret));
    },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

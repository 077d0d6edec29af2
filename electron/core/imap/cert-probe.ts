// Fetches the certificate a server presents, without trusting it and without sending credentials,
// so an "untrusted certificate" error can show its fingerprint. Never used to authenticate.
import net from 'node:net';
import tls from 'node:tls';

export interface PeerCertificateInfo {
  subject: string;
  issuer: string;
  fingerprint256: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
}

function describe(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function fromSocket(sock: tls.TLSSocket): PeerCertificateInfo | undefined {
  const cert = sock.getPeerCertificate(false);
  if (!cert || !cert.fingerprint256) return undefined;
  return {
    subject: describe(cert.subject),
    issuer: describe(cert.issuer),
    fingerprint256: cert.fingerprint256,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    selfSigned: describe(cert.subject) === describe(cert.issuer),
  };
}

/** Reads the server certificate over implicit TLS or after STARTTLS. Resolves undefined on any failure. */
export function probeCertificate(host: string, port: number, starttls: boolean, timeoutMs = 10_000): Promise<PeerCertificateInfo | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const sockets: net.Socket[] = [];
    const finish = (info?: PeerCertificateInfo) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Only the outermost socket is destroyed, and not inside the TLS callback: destroying the
      // plain socket under a live TLS socket from its handshake callback crashed Node 20
      // (segfault) on a later TLS connection in the same process.
      const outer = sockets[sockets.length - 1];
      setImmediate(() => outer?.destroy());
      resolve(info);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const servername = net.isIP(host) ? undefined : host;
    // rejectUnauthorized is off only for this read-the-certificate probe; no data beyond STARTTLS is sent.
    const startTls = (socket?: net.Socket) => {
      const t = tls.connect({ host, port, socket, servername, rejectUnauthorized: false }, () => finish(fromSocket(t)));
      sockets.push(t);
      t.on('error', () => finish(undefined));
    };
    if (!starttls) return startTls();
    const plain = net.connect({ host, port });
    sockets.push(plain);
    let buf = '';
    let sent = false;
    plain.on('error', () => finish(undefined));
    plain.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      if (!sent && /^\* OK/m.test(buf)) {
        sent = true;
        buf = '';
        plain.write('P1 STARTTLS\r\n');
      } else if (sent && /^P1 OK/m.test(buf)) {
        plain.removeAllListeners('data');
        startTls(plain);
      } else if (sent && /^P1 (NO|BAD)/m.test(buf)) {
        finish(undefined);
      }
    });
  });
}

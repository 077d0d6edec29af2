// Throwaway TLS material for tests, made with the openssl CLI: a private CA plus a localhost leaf, or a self-signed leaf.
// Test-only: never caches keys across processes, never touches the system trust store or a real CA.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCert {
  certFile: string;
  keyFile: string;
  certPem: string;
  /** Leaf SHA-256 fingerprint as Node prints it: "AB:CD:…" (uppercase, colon-separated). */
  fingerprint256: string;
}

export interface TestPki extends TestCert {
  /** File/PEM the client must trust: the CA (or, for a self-signed leaf, the leaf itself). */
  caFile: string;
  caPem: string;
}

// Own config so the system openssl.cnf (which marks req -x509 certs as CA:true) never leaks in.
const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
[self_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('openssl is not installed: apt-get install -y openssl (the tests make throwaway certificates)');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

function prepare(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const cnf = path.join(dir, 'openssl.cnf');
  writeFileSync(cnf, OPENSSL_CNF);
  return cnf;
}

function leaf(certFile: string, keyFile: string): TestCert {
  const certPem = readFileSync(certFile, 'utf8');
  return { certFile, keyFile, certPem, fingerprint256: new X509Certificate(certPem).fingerprint256 };
}

/** A fresh CA (EC P-256) and a server cert it signed: CN=localhost, SAN DNS:localhost + IP:127.0.0.1. */
export function makeTestPki(dir: string): TestPki {
  const cnf = prepare(dir);
  const [caFile, caKey, certFile, keyFile] = ['ca.crt', 'ca.key', 'server.crt', 'server.key'].map((f) => path.join(dir, f));
  const days = ['-days', '30'];
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', caKey, '-out', caFile, '-config', cnf, '-extensions', 'ca_ext', '-subj', '/CN=mailbox2ics test CA', ...days]);
  // OpenSSL 3: `req -x509 -CA` signs the new key with the CA in one step.
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-config', cnf, '-extensions', 'leaf_ext', '-subj', '/CN=localhost', '-CA', caFile, '-CAkey', caKey, ...days]);
  return { ...leaf(certFile, keyFile), caFile, caPem: readFileSync(caFile, 'utf8') };
}

/** A self-signed localhost leaf with no CA; trust it directly (caFile === certFile). */
export function makeSelfSignedCert(dir: string): TestPki {
  const cnf = prepare(dir);
  const [certFile, keyFile] = ['self.crt', 'self.key'].map((f) => path.join(dir, f));
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-config', cnf, '-extensions', 'self_ext', '-subj', '/CN=localhost', '-days', '30']);
  const cert = leaf(certFile, keyFile);
  return { ...cert, caFile: certFile, caPem: cert.certPem };
}

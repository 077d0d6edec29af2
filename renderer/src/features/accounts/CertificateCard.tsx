// The certificate an untrusted server presented, for the user to check (ideally the fingerprint
// against what the administrator publishes) before trusting exactly this one.
import type { z } from 'zod';
import type { CertificateSchema } from '../../../../electron/shared/ipc-contract.ts';

type Certificate = z.infer<typeof CertificateSchema>;

export function CertificateCard({ certificate: c, onTrust }: { certificate: Certificate; onTrust: () => void }) {
  return (
    <div className="cert" aria-label="Server certificate">
      <dl>
        <dt>Subject</dt>
        <dd>{c.subject}</dd>
        <dt>Issuer</dt>
        <dd>
          {c.issuer}
          {c.selfSigned ? ' (self-signed)' : ''}
        </dd>
        <dt>Valid</dt>
        <dd>
          {c.validFrom} – {c.validTo}
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code className="fingerprint">{c.fingerprint256}</code>
        </dd>
      </dl>
      <p className="muted">Compare the fingerprint with the one your administrator gave you. Trusting it accepts this certificate only; if the server later shows a different one, the connection is refused.</p>
      <button type="button" onClick={onTrust}>
        Trust this certificate
      </button>
    </div>
  );
}

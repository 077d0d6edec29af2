// The certificate an untrusted server presented, for the user to check (ideally the fingerprint
// against what the administrator publishes) before trusting exactly this one. Server text is text.
import type { Certificate } from '../../types.ts';

export function CertificateCard({ certificate: c, onTrust }: { certificate: Certificate; onTrust: () => void }) {
  return (
    <section className="cert" aria-label="Server certificate">
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
          from {c.validFrom} until {c.validTo}
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code className="fingerprint">{c.fingerprint256}</code>
        </dd>
      </dl>
      <p className="muted">
        Compare the fingerprint with the one your administrator gave you. Trusting it accepts this certificate only; if the server later shows a
        different one, the connection is refused.
      </p>
      <button type="button" onClick={onTrust}>
        Trust this certificate
      </button>
    </section>
  );
}

// A tiny MIME reader for the scripted test server: describes a test message as IMAP does (BODYSTRUCTURE,
// ENVELOPE, the bytes of a section). Test-only; it reads only what the generators in test/helpers write.

export interface Node {
  type: string;
  subtype: string;
  params: Array<[string, string]>;
  encoding: string;
  header: Buffer;
  body: Buffer;
  children: Node[];
  /** Encapsulated message of a message/rfc822 part. */
  message?: Node;
}

function splitHead(buf: Buffer): { header: Buffer; body: Buffer } {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { header: buf.subarray(0, crlf + 2), body: buf.subarray(crlf + 4) };
  if (lf >= 0) return { header: buf.subarray(0, lf + 1), body: buf.subarray(lf + 2) };
  return { header: buf, body: Buffer.alloc(0) };
}

function headerField(header: Buffer, name: string): string | undefined {
  const unfolded = header.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return m?.[1].trim();
}

export function parseNode(buf: Buffer, inDigest = false): Node {
  const { header, body } = splitHead(buf);
  const ct = headerField(header, 'Content-Type') ?? (inDigest ? 'message/rfc822' : 'text/plain');
  const [full, ...rest] = ct.split(';');
  const [type, subtype] = full.trim().toLowerCase().split('/');
  const params = rest.map((p) => p.trim().match(/^([^=]+)=\s*"?([^"]*)"?$/)).filter((m): m is RegExpMatchArray => !!m).map((m) => [m[1].trim(), m[2]] as [string, string]);
  const node: Node = { type: type || 'text', subtype: subtype || 'plain', params, encoding: (headerField(header, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase(), header, body, children: [] };
  const boundary = params.find(([k]) => k.toLowerCase() === 'boundary')?.[1];
  if (node.type === 'multipart' && boundary) {
    const text = body.toString('latin1');
    const pieces = text.split(new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*(?:\\r?\\n|$)`));
    for (const piece of pieces.slice(1, -1)) node.children.push(parseNode(Buffer.from(piece, 'latin1'), node.subtype === 'digest'));
  } else if (node.type === 'message' && node.subtype === 'rfc822') {
    node.message = parseNode(body);
  }
  return node;
}

export function q(s: string | undefined): string {
  if (s === undefined) return 'NIL';
  if (/^[\x20-\x7e]*$/.test(s)) return `"${s.replace(/["\\]/g, '\\$&')}"`;
  const b = Buffer.from(s, 'utf8');
  return `{${b.length}}\r\n${b.toString('latin1')}`;
}

function addresses(v: string | undefined): string {
  if (!v) return 'NIL';
  const list = v.split(',').map((a) => a.trim()).filter(Boolean).map((a) => {
    const m = /^(?:"?([^"<]*)"?\s*)?<([^@>]+)@([^>]+)>$/.exec(a) ?? /^()([^@\s]+)@(\S+)$/.exec(a);
    return m ? `(${m[1]?.trim() ? q(m[1].trim()) : 'NIL'} NIL ${q(m[2])} ${q(m[3])})` : `(NIL NIL ${q(a)} NIL)`;
  });
  return `(${list.join('')})`;
}

export function envelope(header: Buffer): string {
  const f = (n: string) => headerField(header, n);
  return `(${q(f('Date'))} ${q(f('Subject'))} ${addresses(f('From'))} ${addresses(f('From'))} ${addresses(f('From'))} ${addresses(f('To'))} NIL NIL NIL ${q(f('Message-ID'))})`;
}

export function bodystructure(n: Node): string {
  if (n.type === 'multipart') return `(${n.children.map(bodystructure).join('')} ${q(n.subtype)} (${n.params.map(([k, v]) => `${q(k)} ${q(v)}`).join(' ')}) NIL NIL NIL)`;
  const params = n.params.length ? `(${n.params.map(([k, v]) => `${q(k)} ${q(v)}`).join(' ')})` : 'NIL';
  const base = `${q(n.type)} ${q(n.subtype)} ${params} NIL NIL ${q(n.encoding)} ${n.body.length}`;
  const lines = n.body.toString('latin1').split('\n').length;
  if (n.message) return `(${base} ${envelope(n.message.header)} ${bodystructure(n.message)} ${lines} NIL NIL NIL NIL)`;
  return n.type === 'text' ? `(${base} ${lines} NIL NIL NIL NIL)` : `(${base} NIL NIL NIL NIL)`;
}

/** The bytes of a section ("", "TEXT", "HEADER", "1", "2.1", "2.MIME", …) as RFC 3501 defines them. */
export function section(root: Node, raw: Buffer, spec: string): Buffer | undefined {
  if (spec === '') return raw;
  if (spec === 'HEADER') return root.header;
  if (spec === 'TEXT') return root.body;
  const path = spec.split('.');
  const last = path[path.length - 1];
  const suffix = /^(MIME|HEADER|TEXT)$/.test(last) ? path.pop() : undefined;
  // A message root that is not multipart has its body as part 1; a message/rfc822 part is entered
  // when more numbers follow (they number the parts of the attached message).
  const resolve = (node: Node, isMessage: boolean, rest: string[]): Node | undefined => {
    if (!rest.length) return node;
    const k = Number(rest[0]);
    if (!Number.isInteger(k) || k < 1) return undefined;
    if (node.type === 'multipart') {
      const child = node.children[k - 1];
      return child && resolve(child, false, rest.slice(1));
    }
    if (node.message && !isMessage) return resolve(node.message, true, rest);
    if (isMessage && k === 1) return resolve(node, false, rest.slice(1));
    return undefined;
  };
  const node = resolve(root, true, path);
  if (!node) return undefined;
  if (suffix === 'MIME') return node.header;
  if (suffix === 'HEADER') return node.message?.header;
  if (suffix === 'TEXT') return node.message?.body;
  return node.body;
}

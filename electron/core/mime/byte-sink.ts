// Collects the bytes of one kept MIME part in 64 KB blocks while the scan streams past it.
// Never keeps a reference to the caller's buffers (they may be reused by the reader).

/** Collects a part's bytes in 64 KB blocks: one small Buffer per body line would cost more than the data. */
export class ByteSink {
  private blocks: Buffer[] = [];
  private cur = Buffer.allocUnsafe(0);
  private used = 0;

  push(b: Buffer): void {
    let from = 0;
    while (from < b.length) {
      if (this.used === this.cur.length) {
        if (this.cur.length) this.blocks.push(this.cur);
        this.cur = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(b.length - from, 1 << 20)));
        this.used = 0;
      }
      const n = b.copy(this.cur, this.used, from);
      this.used += n;
      from += n;
    }
  }

  clear(): void {
    this.blocks = [];
    this.cur = Buffer.allocUnsafe(0);
    this.used = 0;
  }

  bytes(): Buffer {
    return Buffer.concat([...this.blocks, this.cur.subarray(0, this.used)]);
  }
}

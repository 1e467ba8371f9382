// An append-only log of fixed-size records (`width` words each) that keeps only its newest records
// and one read window resident: the rest is in a file, record i at byte offset 4·width·i. The compact
// stores keep their parent links here (a trace rebuild reads the few records it needs), and the
// fingerprint store also its states (the BFS queue reads them in order, through the window).
//
// The file is created in a fresh temp directory at the first spill, and its name is removed at once
// (the open descriptor keeps the data readable), so nothing is left on disk however the process ends:
// at exit, on Ctrl-C, on an error, or when the worker thread running the search is terminated. Where
// an open file cannot be unlinked, it is removed at process exit. The descriptor is closed when the
// log is garbage collected.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grown } from './grow.ts';

/** Records kept resident before the oldest of them are written out, and read back at a time. */
const BLOCK = 1 << 16;

const closeOnCollect = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/** Paths that could not be unlinked while open: removed at exit. */
const leftAtExit = new Set<string>();
let exitHook = false;

export class SpillLog {
  /** The newest records, not yet written: records `flushed .. count - 1` (it grows to BLOCK records, so a small log stays small). */
  private tail: Uint32Array;
  /** Records `winStart .. winStart + winCount - 1`, read back from the file. */
  private win: Uint32Array;
  private winStart = 0;
  private winCount = 0;
  private fd = -1;
  private flushed = 0;
  count = 0;

  constructor(readonly width: number) {
    this.tail = new Uint32Array(16 * width);
    this.win = new Uint32Array(0);
  }

  /** Resident bytes (the tail and the read window). */
  get bytes(): number {
    return this.tail.byteLength + this.win.byteLength;
  }

  /** Bytes written to the file. */
  get spilledBytes(): number {
    return this.flushed * this.width * 4;
  }

  /** Appends the record in `src[off .. off + width)`: its index. */
  append(src: Uint32Array, off: number): number {
    const W = this.width;
    const at = this.room();
    for (let k = 0; k < W; k++) this.tail[at + k] = src[off + k];
    return this.count++;
  }

  /** Appends a record of two words. */
  append2(a: number, b: number): number {
    const at = this.room();
    this.tail[at] = a;
    this.tail[at + 1] = b;
    return this.count++;
  }

  /** Where the next record goes in the tail (a full block written out first, the tail grown to a block). */
  private room(): number {
    if (this.count - this.flushed === BLOCK) this.flush();
    const at = (this.count - this.flushed) * this.width;
    if (at === this.tail.length) this.tail = grown(this.tail, at + this.width);
    return at;
  }

  /** Word `k` of record `i`. */
  word(i: number, k: number): number {
    if (i >= this.flushed) return this.tail[(i - this.flushed) * this.width + k];
    if (i - this.winStart >= this.winCount || i < this.winStart) this.load(i);
    return this.win[(i - this.winStart) * this.width + k];
  }

  /** Copies record `i` into `out[0 .. width)`. */
  read(i: number, out: Uint32Array): void {
    const W = this.width;
    let src: Uint32Array;
    let at: number;
    if (i >= this.flushed) {
      src = this.tail;
      at = (i - this.flushed) * W;
    } else {
      if (i - this.winStart >= this.winCount || i < this.winStart) this.load(i);
      src = this.win;
      at = (i - this.winStart) * W;
    }
    for (let k = 0; k < W; k++) out[k] = src[at + k];
  }

  /** Reads the block of records holding record `i` into the window (blocks are aligned, as flushed). */
  private load(record: number): void {
    const W = this.width;
    if (this.win.length === 0) this.win = new Uint32Array(BLOCK * W);
    const i = record - (record % BLOCK);
    const n = Math.min(BLOCK, this.flushed - i);
    const bytes = new Uint8Array(this.win.buffer, 0, n * W * 4);
    let got = 0;
    while (got < bytes.length) {
      const r = readSync(this.fd, bytes, got, bytes.length - got, i * W * 4 + got);
      if (r === 0) throw new Error(`internal: the store's spill file ended before record ${record}`);
      got += r;
    }
    this.winStart = i;
    this.winCount = n;
  }

  /** Writes the tail to the file. */
  private flush(): void {
    if (this.fd < 0) this.open();
    const n = this.count - this.flushed;
    const bytes = new Uint8Array(this.tail.buffer, 0, n * this.width * 4);
    let put = 0;
    while (put < bytes.length) put += writeSync(this.fd, bytes, put, bytes.length - put, this.flushed * this.width * 4 + put);
    this.flushed = this.count;
  }

  private open(): void {
    const dir = mkdtempSync(join(tmpdir(), 'lazytlb-'));
    const path = join(dir, 'spill');
    this.fd = openSync(path, 'w+');
    closeOnCollect.register(this, this.fd);
    try {
      unlinkSync(path);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      leftAtExit.add(dir);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', () => {
          for (const d of leftAtExit) rmSync(d, { recursive: true, force: true });
        });
      }
    }
  }
}

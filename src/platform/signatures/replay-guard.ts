/**
 * Replay protection for verified signatures.
 *
 * `verifyRequest` calls `seen(keyId, replayKey, expiresAt, now)` only after a signature has
 * verified (so forged requests cannot burn a client's nonces). `replayKey` is `nonce:<nonce>`
 * when the signature has a nonce, else `sig:<base64 signature>`; `expiresAt` is the last unix
 * second at which the signature would still be accepted. Ed25519 signatures are deterministic
 * and OpenSSL rejects non-canonical ones, so one signed base has exactly one valid signature:
 * a replayed request always carries the same bytes.
 */
export interface ReplayGuard {
  /** Records the key and returns false the first time; returns true if already seen. */
  seen(keyId: string, replayKey: string, expiresAt: number, now?: number): boolean;
}

export interface InMemoryReplayGuardOptions {
  /** Upper bound on remembered signatures (default 1,000,000). */
  readonly maxEntries?: number;
  /**
   * When full of still-valid entries: `reject` (default) treats the new signature as a replay
   * (fail closed); `evict` forgets the entry closest to expiry to make room.
   */
  readonly whenFull?: 'reject' | 'evict';
  /** Clock in unix seconds, used when `seen` is called without `now`. */
  readonly clock?: () => number;
}

interface Entry {
  readonly key: string;
  readonly expiresAt: number;
}

/**
 * Remembers (keyId, replay key) until `expiresAt` passes. Memory is bounded: expired entries
 * are evicted lazily on insert (a min-heap on expiry, so eviction is O(log n) per entry).
 */
export class InMemoryReplayGuard implements ReplayGuard {
  private readonly entries = new Map<string, number>();
  private readonly heap: Entry[] = [];
  private readonly maxEntries: number;
  private readonly whenFull: 'reject' | 'evict';
  private readonly clock: () => number;

  constructor(options: InMemoryReplayGuardOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError('maxEntries must be ≥ 1');
    this.whenFull = options.whenFull ?? 'reject';
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  }

  get size(): number {
    return this.entries.size;
  }

  seen(keyId: string, replayKey: string, expiresAt: number, now: number = this.clock()): boolean {
    const key = `${keyId.length}:${keyId}:${replayKey}`;
    const existing = this.entries.get(key);
    if (existing !== undefined && existing >= now) return true;
    this.evictExpired(now);
    if (expiresAt < now) return false; // already unacceptable: nothing to remember
    if (this.entries.size >= this.maxEntries) {
      if (this.whenFull === 'reject') return true;
      this.pop();
    }
    this.entries.set(key, expiresAt);
    this.push({ key, expiresAt });
    return false;
  }

  private evictExpired(now: number): void {
    while (this.heap.length > 0 && (this.heap[0] as Entry).expiresAt < now) this.pop();
  }

  private pop(): void {
    const top = this.heap[0];
    if (top === undefined) return;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    if (this.entries.get(top.key) === top.expiresAt) this.entries.delete(top.key);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).expiresAt <= entry.expiresAt) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const entry = heap[start] as Entry;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as Entry).expiresAt < (heap[left] as Entry).expiresAt
          ? right
          : left;
      if ((heap[child] as Entry).expiresAt >= entry.expiresAt) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = entry;
  }
}

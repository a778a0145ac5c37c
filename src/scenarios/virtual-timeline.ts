/**
 * What happens next on virtual time: a binary min-heap ordered by time, then by insertion (so
 * two things scheduled for the same instant happen in the order they were scheduled, and a run
 * never depends on how the heap breaks ties).
 */
export class VirtualTimeline<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, item: T): void {
    this.times.push(at);
    this.seqs.push(this.seq++);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { at: number; item: T } | null {
    if (this.items.length === 0) return null;
    const top = { at: this.times[0]!, item: this.items[0]! };
    const last = this.items.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.before(l, m)) m = l;
      if (r < this.items.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    return (
      this.times[a]! < this.times[b]! || (this.times[a] === this.times[b] && this.seqs[a]! < this.seqs[b]!)
    );
  }

  // Through temporaries, not destructuring: the array-literal swap allocated on every move (a
  // payment's arrival moves through the heap a dozen times).
  private swap(a: number, b: number): void {
    const { times, seqs, items } = this;
    const t = times[a]!;
    times[a] = times[b]!;
    times[b] = t;
    const s = seqs[a]!;
    seqs[a] = seqs[b]!;
    seqs[b] = s;
    const item = items[a]!;
    items[a] = items[b]!;
    items[b] = item;
  }
}

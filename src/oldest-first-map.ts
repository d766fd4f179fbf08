/**
 * A Map that answers its oldest entry in constant time, for bounded tables that forget their oldest
 * first. A plain Map answers it through `keys().next()`, but V8 keeps the slots of deleted entries
 * until the table is rebuilt, and every iteration walks past them: used as a queue, a Map of 10,000
 * entries took 10 µs per request to find its oldest (Node 26). Here the order of insertion is kept
 * in an array read from a moving head, and the Map is only ever looked up.
 */
export class OldestFirstMap<K, V> {
  private readonly entries = new Map<K, { value: V; order: number }>();
  /** One slot per `set`, oldest first; a slot is stale once its key was deleted or set again. */
  private slots: { key: K; order: number }[] = [];
  private head = 0;
  private nextOrder = 0;

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Sets the value; the key becomes the newest, whether it was there or not. */
  set(key: K, value: V): this {
    const order = this.nextOrder++;
    this.entries.set(key, { value, order });
    this.slots.push({ key, order });
    this.dropStaleSlots();
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** The oldest entry, or undefined when empty. */
  oldest(): { key: K; value: V } | undefined {
    while (this.head < this.slots.length) {
      const { key, order } = this.slots[this.head]!;
      const entry = this.entries.get(key);
      if (entry?.order === order) return { key, value: entry.value };
      this.head += 1;
    }
    return undefined;
  }

  /** Deletes the oldest entries, one at a time, while `shouldGo` says so. */
  deleteOldestWhile(shouldGo: (value: V, key: K) => boolean): void {
    for (let oldest = this.oldest(); oldest; oldest = this.oldest()) {
      if (!shouldGo(oldest.value, oldest.key)) return;
      this.entries.delete(oldest.key);
      this.head += 1;
    }
  }

  /**
   * Slots held, live or stale: at most about four times the entries, plus 2,048 (the passed slots
   * up to as many as wait, and the waiting ones up to twice the entries).
   */
  get slotsHeld(): number {
    return this.slots.length;
  }

  /**
   * Slots behind the head, and slots of keys deleted or set again, are dropped once they outnumber
   * the live ones, by one copy amortized over as many operations: memory stays proportional to the
   * entries.
   */
  private dropStaleSlots(): void {
    const waiting = this.slots.length - this.head;
    if (this.head >= 1024 && this.head >= waiting) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
    if (waiting < 1024 || waiting < 2 * this.entries.size) return;
    this.slots = this.slots
      .slice(this.head)
      .filter(({ key, order }) => this.entries.get(key)?.order === order);
    this.head = 0;
  }
}

/**
 * A list whose members know their own index (`slot`, -1 when out): add and remove in O(1) by swapping the last
 * member into the hole. Used instead of a Set for what churns per request or connection: a Set's hash table is
 * rebuilt as entries come and go, and each discarded table (garbage in old space until a full GC) still points at
 * finished entries, keeping them and all they reference alive through every scavenge (under load, ~6 MB copied
 * and promoted per scavenge, most of the gateway's GC time).
 */
export interface Slotted {
  slot: number;
}

export class SlotList<T extends Slotted> {
  readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  add(x: T): void {
    if (x.slot >= 0) return;
    x.slot = this.items.length;
    this.items.push(x);
  }

  remove(x: T): void {
    const i = x.slot;
    if (i < 0) return;
    x.slot = -1;
    const last = this.items.pop()!;
    if (last !== x) {
      this.items[i] = last;
      last.slot = i;
    }
  }
}

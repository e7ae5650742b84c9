/**
 * Header changes plugins make to one side of an exchange (set or removed, by lower-case name), applied
 * when the proxy writes that side's head. Two flat arrays with a linear scan rather than a Map and a Set:
 * a request has a handful of edits (rate-limiting: 7), the names are the cached lower-case strings the
 * plugin views hand in (compared by pointer), and Maps cost an allocation, hashing and rehashes as they
 * grow on every request.
 */
export class HeaderEdits {
  /** Lower-case names, in the order first edited. */
  readonly names: string[] = [];
  /** The value set for names[i], or null when it was removed. */
  readonly values: (string | null)[] = [];
  /** Bit per name length (31: 31 or longer), so a header whose length matches none is skipped unread. */
  lengths = 0;

  set(lower: string, value: string | null): void {
    const i = this.names.indexOf(lower);
    if (i >= 0) {
      this.values[i] = value;
      return;
    }
    this.names.push(lower);
    this.values.push(value);
    this.lengths |= lengthBit(lower.length);
  }

  /** The edit for a name: a value, null (removed), or undefined (not edited). */
  get(lower: string): string | null | undefined {
    const i = this.names.indexOf(lower);
    return i < 0 ? undefined : this.values[i];
  }

  /** Whether a header (lower-case name) was set or removed: its received value is not used. */
  has(lower: string): boolean {
    return this.names.indexOf(lower) >= 0;
  }

  /** Whether a header name of this length could have an edit. */
  mayHave(length: number): boolean {
    return (this.lengths & lengthBit(length)) !== 0;
  }
}

export const lengthBit = (len: number): number => 1 << (len < 31 ? len : 31);

/**
 * An open-addressing hash map from non-negative integer keys (< 2^52) to non-negative int32
 * values, kept in two typed arrays so it saves and loads as raw bytes: a JS Map of a million
 * bigram keys costs ~100 MB and seconds to rebuild, this costs 12 bytes a slot.
 */
export class NumericMap {
  keys: Float64Array;
  values: Int32Array;
  size = 0;

  constructor(capacity = 1024, keys?: Float64Array, values?: Int32Array, size = 0) {
    if (keys && values) {
      this.keys = keys;
      this.values = values;
      this.size = size;
      return;
    }
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.values = new Int32Array(cap);
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    // Mix high and low halves; keys are products of ids and rarely random.
    let h = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b)) >>> 0;
    h &= mask;
    while (this.keys[h] !== -1 && this.keys[h] !== key) h = (h + 1) & mask;
    return h;
  }

  get(key: number): number {
    const s = this.slot(key);
    return this.keys[s] === key ? this.values[s] : -1;
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const s = this.slot(key);
    if (this.keys[s] !== key) {
      this.keys[s] = key;
      this.size++;
    }
    this.values[s] = value;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.values;
    this.keys = new Float64Array(oldK.length * 2).fill(-1);
    this.values = new Int32Array(oldK.length * 2);
    this.size = 0;
    for (let i = 0; i < oldK.length; i++) if (oldK[i] !== -1) this.set(oldK[i], oldV[i]);
  }
}

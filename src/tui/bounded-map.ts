/**
 * A cache that forgets everything once it holds `limit` entries: for values cheap to compute again whose
 * keys (texts the screen has drawn) would otherwise grow for as long as the process runs.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}

/** Appends `value` to the list `map` holds for `key`, making the list on first use (amortised O(1), not a copy per append). */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

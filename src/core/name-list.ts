// Names in a message: the first few and how many more, so that the message stays one readable
// line whether 3 or 150,000 objects match.

export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ')
  return `${names.slice(0, max).join(', ')} and ${(names.length - max).toLocaleString('en')} more`
}

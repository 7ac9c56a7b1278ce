// Borderless, left-aligned columns as kubectl and flux print them. A plain padder (not a
// table library) because explain policy may print a million rows: the rows are made twice
// (once for the widths, once for the lines), never held, and the lines come out one by one.

export function* columnLines(header: string[], rows: () => Iterable<string[]>): Generator<string> {
  const widths = header.map((h) => h.length)
  for (const row of rows()) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd() + '\n'
  yield line(header)
  for (const row of rows()) yield line(row)
}

export function columns(header: string[], rows: string[][]): string {
  return [...columnLines(header, () => rows)].join('')
}

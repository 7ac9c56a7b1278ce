// Borderless, left-aligned columns as kubectl and flux print them. A plain padder (not a
// table library) because explain policy may print a million rows.

export function columns(header: string[], rows: string[][]): string {
  const widths = header.map((h) => h.length)
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd()
  const out = [line(header)]
  for (const row of rows) out.push(line(row))
  return out.join('\n') + '\n'
}

// Go's time.ParseDuration, for the units Flux specs use.

/** A Go duration ("5m", "1h30m", "10s") in milliseconds, or undefined. */
export function durationMs(d: unknown): number | undefined {
  if (typeof d !== 'string' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(d)) return undefined
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let total = 0
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (unit[m[2] as string] as number)
  return total
}

// serve writes its gauges as text itself (src/serve/metrics.ts renderGauges); the text must be
// what prom-client writes for the same gauges, byte for byte, escapes included.

import { describe, expect, it } from 'vitest'
import * as prom from 'prom-client'
import { renderGauges } from '../../src/serve/metrics.js'

type Series = [Record<string, string>, number][]

async function viaPromClient(families: { name: string; help: string; labelNames: string[]; series: Series }[]): Promise<string> {
  const registry = new prom.Registry()
  for (const f of families) {
    const g = new prom.Gauge({ name: f.name, help: f.help, labelNames: f.labelNames, registers: [registry] })
    for (const [labels, value] of f.series) g.set(labels, value)
  }
  return registry.metrics()
}

describe('renderGauges', () => {
  it('writes what prom-client writes: escapes, a label set set twice, a family without series, odd values', async () => {
    const families = [
      {
        name: 'fia_test_info',
        help: 'Help with a backslash \\ and a\nnewline and "quotes".',
        labelNames: ['cluster', 'name', 'tag'],
        series: [
          [{ cluster: 'prod', name: 'a"b', tag: 'c\\d' }, 1],
          [{ cluster: 'prod', name: 'line\nbreak', tag: 'ünï—code' }, 1],
          [{ cluster: 'prod', name: 'a"b', tag: 'c\\d' }, 3],
          [{ cluster: 'prod', name: '', tag: '' }, 0],
        ] as Series,
      },
      { name: 'fia_test_empty', help: 'No series.', labelNames: ['cluster'], series: [] as Series },
      { name: 'fia_test_values', help: 'Values.', labelNames: ['kind'], series: [[{ kind: 'a' }, 0.1 + 0.2], [{ kind: 'b' }, 1e21], [{ kind: 'c' }, -5], [{ kind: 'd' }, 1764410000.123]] as Series },
    ]
    const ours = renderGauges(families.map((f) => ({ name: f.name, help: f.help, labelNames: f.labelNames, fill: (set) => f.series.forEach(([l, v]) => set(l, v)) })))
    expect(ours).toBe(await viaPromClient(families))
  })
})

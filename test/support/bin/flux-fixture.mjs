// A stand-in for `flux get image all`, laid out as the real one prints it (flux2 pkg/printers,
// reference §2.1): cells padded to the column width and joined by TAB, the header's last cell
// padded to its width + 1 with no trailing TAB, data rows with an unpadded last cell and a
// trailing TAB, a blank line after each table, names prefixed with the lower-case kind,
// NAMESPACE first with -A, kinds without objects skipped, per-kind errors as "✗ …" on stderr
// with exit code 0.
//
// Environment: FLUX_FIXTURE_OBJECTS, a JSON file of the cluster's objects; FLUX_FIXTURE_COLUMNS=2.6
// for the old ImagePolicy columns (LATEST IMAGE); FLUX_FIXTURE_FAIL, a JSON map from kind to the
// error that kind's list fails with; FLUX_FIXTURE_LOG, a file each invocation's argv is appended to.

import { appendFileSync, readFileSync } from 'node:fs'

const argv = process.argv.slice(2)
if (process.env.FLUX_FIXTURE_LOG) appendFileSync(process.env.FLUX_FIXTURE_LOG, `${JSON.stringify(argv)}\n`)
if (argv.slice(0, 3).join(' ') !== 'get image all') {
  process.stderr.write(`✗ the fixture flux only answers get image all, not ${argv.join(' ')}\n`)
  process.exit(1)
}
let namespace = 'flux-system'
let all = false
for (let i = 3; i < argv.length; i++) {
  if (argv[i] === '-A' || argv[i] === '--all-namespaces') all = true
  else if (argv[i] === '-n' || argv[i] === '--namespace') namespace = argv[++i]
  else if (argv[i] === '--context' || argv[i] === '--kubeconfig') i++
  else {
    process.stderr.write(`✗ unknown flag: ${argv[i]}\n`)
    process.exit(1)
  }
}

const objects = JSON.parse(readFileSync(process.env.FLUX_FIXTURE_OBJECTS, 'utf8'))
const failures = JSON.parse(process.env.FLUX_FIXTURE_FAIL ?? '{}')
const oldColumns = process.env.FLUX_FIXTURE_COLUMNS === '2.6'

const ready = (o) => {
  const c = (o.status?.conditions ?? []).find((x) => x.type === 'Ready')
  return c ? [c.status, c.message ?? ''] : ['False', 'waiting to be reconciled']
}
const suspended = (o) => (o.spec?.suspend ? 'True' : 'False')
const KINDS = [
  ['ImageRepository', ['LAST SCAN', 'SUSPENDED'], (o) => [o.status?.lastScanResult?.scanTime ?? '', suspended(o)]],
  oldColumns
    ? ['ImagePolicy', ['LATEST IMAGE'], (o) => [o.status?.latestRef ? `${o.status.latestRef.name}:${o.status.latestRef.tag}` : '']]
    : ['ImagePolicy', ['IMAGE', 'TAG'], (o) => [o.status?.latestRef?.name ?? '', o.status?.latestRef?.tag ?? '']],
  ['ImageUpdateAutomation', ['LAST RUN', 'SUSPENDED'], (o) => [o.status?.lastAutomationRunTime ?? '', suspended(o)]],
]

let out = ''
for (const [kind, columns, cells] of KINDS) {
  if (failures[kind]) {
    process.stderr.write(`✗ ${failures[kind]}\n`)
    continue
  }
  const items = objects.filter((o) => o.kind === kind && (all || o.metadata.namespace === namespace))
  if (items.length === 0) continue
  const header = [...(all ? ['NAMESPACE'] : []), 'NAME', ...columns, 'READY', 'MESSAGE']
  const rows = items.map((o) => [...(all ? [o.metadata.namespace] : []), `${kind.toLowerCase()}/${o.metadata.name}`, ...cells(o), ...ready(o)])
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const last = header.length - 1
  out += `${header.map((h, i) => h.padEnd(width[i] + (i === last ? 1 : 0))).join('\t')}\n`
  for (const r of rows) out += `${r.map((c, i) => (i === last ? c : c.padEnd(width[i]))).join('\t')}\t\n`
  out += '\n'
}
process.stdout.write(out)

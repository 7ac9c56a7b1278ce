// serve's HTTP endpoints: /metrics (Prometheus text format), /healthz (the process answers),
// /readyz (every cluster listed every kind once and was evaluated), /report (the doctor's
// JSON envelope, or ?output=junit). GET and HEAD only; nothing here changes anything.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { renderDoctorJUnit } from '../render/doctor.js'
import type { Evaluator } from './evaluator.js'
import type { Logger } from './log.js'
import type { ServeMetrics } from './metrics.js'

export interface ListenAddress {
  host: string
  port: number
}

/** "HOST:PORT", ":PORT" (every interface) or "[IPv6]:PORT". */
export function parseListen(text: string): ListenAddress | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text)
  if (!m) return undefined
  const port = Number(m[3])
  if (port > 65535) return undefined
  return { host: m[1] ?? (m[2] === '' ? '0.0.0.0' : (m[2] as string)), port }
}

export async function startHttp(address: ListenAddress, evaluator: Evaluator, metrics: ServeMetrics, log: Logger): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(req, res, evaluator, metrics).catch((err: Error) => {
      log('error', 'request failed', { path: req.url, error: err.message })
      if (!res.headersSent) text(res, 500, 'internal error\n')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(address.port, address.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = server.address() as AddressInfo
  return { server, url: `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` }
}

async function handle(req: IncomingMessage, res: ServerResponse, evaluator: Evaluator, metrics: ServeMetrics): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' })
  const url = new URL(req.url ?? '/', 'http://serve')
  switch (url.pathname) {
    case '/healthz':
      return text(res, 200, 'ok\n')
    case '/readyz':
      return evaluator.ready ? text(res, 200, 'ok\n') : text(res, 503, 'not ready: the first list of every kind is not in yet\n')
    case '/metrics':
      return text(res, 200, await metrics.exposition(), { 'content-type': metrics.contentType })
    case '/report':
      return report(res, url, evaluator, metrics)
    default:
      return text(res, 404, 'not found: try /metrics, /report, /healthz or /readyz\n')
  }
}

// One cluster's report. With several --context, ?cluster=NAME picks it: a fleet report with
// one section per cluster is the fleet doctor's shape, not this endpoint's.
function report(res: ServerResponse, url: URL, evaluator: Evaluator, metrics: ServeMetrics): void {
  const names = evaluator.clusterNames
  const output = url.searchParams.get('output') ?? 'json'
  if (output !== 'json' && output !== 'junit') return text(res, 400, `output ${output}: use json or junit\n`)
  const wanted = url.searchParams.get('cluster') ?? (names.length === 1 ? names[0] : undefined)
  if (wanted === undefined) return text(res, 400, `several clusters: pass ?cluster=NAME (one of ${names.join(', ')})\n`)
  if (!names.includes(wanted)) return text(res, 404, `no cluster ${wanted} (serving ${names.join(', ')})\n`)
  const e = metrics.latestEvaluation(wanted)
  if (e === undefined) return text(res, 503, 'not evaluated yet\n')
  if (output === 'junit') return text(res, 200, renderDoctorJUnit(e.envelope.result), { 'content-type': 'application/xml; charset=utf-8' })
  text(res, 200, JSON.stringify(e.envelope, null, 2) + '\n', { 'content-type': 'application/json; charset=utf-8' })
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

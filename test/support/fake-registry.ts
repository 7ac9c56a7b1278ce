// A small registry for what distribution 2.8 does not do: Link pagination (relative or
// absolute), 429 with Retry-After, 5xx, slow answers, and a Bearer token realm. It can also
// play a hostile registry: a Link or a realm that points at another host, an error body that
// echoes the Authorization header it received. Logs every request it sees, with its
// Authorization header, so a test can tell which credentials reached which host.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeRegistryOptions {
  tags: string[]
  pageSize?: number
  absoluteLinks?: boolean
  /** Answer the first N tag requests with 429 and this Retry-After. */
  throttle?: { times: number; retryAfter: string }
  /** Answer the first N tag requests with this 5xx status. */
  fail?: { times: number; status: number }
  /** Delay every tag answer by this many ms. */
  delayMs?: number
  /** Require a Bearer token obtained from /token. */
  bearer?: { token: string }
  /** The Bearer challenge's realm (default: this registry's /token). */
  realm?: string
  /** /token answers 401 unless it gets exactly this Authorization header. */
  tokenAuthorization?: string
  /** Require exactly this Authorization header, answering 401 Basic otherwise. */
  basic?: string
  /** Point every next-page Link at this host[:port] instead of at this registry. */
  nextHost?: string
  /** Once authorized, answer tag requests with this status and a body that echoes the Authorization header, decoded too. */
  echo?: number
  /** Start the echoing body with this many characters of padding and the decoded credential. */
  echoPad?: number
}

export interface SeenRequest {
  method: string
  path: string
  authorization?: string
}

export class FakeRegistry {
  readonly log: string[] = []
  readonly seen: SeenRequest[] = []
  private server?: Server
  url = ''

  constructor(private readonly opts: FakeRegistryOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res))
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r))
    this.url = `127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((r) => this.server?.close(() => r()))
  }

  get tagRequests(): number {
    return this.log.filter((l) => l.includes('/tags/list')).length
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', `http://${this.url}`)
    this.log.push(`${req.method} ${u.pathname}${u.search}`)
    const authorization = req.headers.authorization
    this.seen.push({ method: req.method ?? '', path: `${u.pathname}${u.search}`, ...(authorization !== undefined ? { authorization } : {}) })
    if (u.pathname === '/token') {
      if (this.opts.tokenAuthorization !== undefined && authorization !== this.opts.tokenAuthorization) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `token refused for Authorization: ${authorization ?? 'none'}` }] }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ token: this.opts.bearer?.token }))
      return
    }
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(u.pathname)
    if (!m) {
      res.writeHead(404)
      res.end()
      return
    }
    if (this.opts.basic !== undefined && authorization !== this.opts.basic) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"', 'content-type': 'application/json' })
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
      return
    }
    if (this.opts.bearer && authorization !== `Bearer ${this.opts.bearer.token}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${this.opts.realm ?? `http://${this.url}/token`}",service="fake",scope="repository:${m[1]}:pull"`, 'content-type': 'application/json' })
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
      return
    }
    if (this.opts.echo !== undefined) {
      const credential = (authorization ?? '').replace(/^\S+\s+/, '')
      const decoded = Buffer.from(credential, 'base64').toString('utf8')
      res.writeHead(this.opts.echo, { 'content-type': 'application/json', 'www-authenticate': `Basic realm="you sent ${authorization ?? 'nothing'}"` })
      const pad = this.opts.echoPad === undefined ? '' : `${'x'.repeat(this.opts.echoPad)}${decoded} `
      res.end(pad + JSON.stringify({ errors: [{ code: 'DENIED', message: `denied; request headers: Authorization: ${authorization ?? ''}`, detail: { credential, decoded, header: { Authorization: [authorization] } } }] }))
      return
    }
    const answer = (): void => {
      const t = this.opts.throttle
      if (t && t.times > 0) {
        t.times--
        res.writeHead(429, { 'retry-after': t.retryAfter })
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}')
        return
      }
      const f = this.opts.fail
      if (f && f.times > 0) {
        f.times--
        res.writeHead(f.status)
        res.end('upstream trouble')
        return
      }
      const size = this.opts.pageSize ?? 100
      const last = u.searchParams.get('last')
      const from = last === null ? 0 : this.opts.tags.indexOf(last) + 1
      const page = this.opts.tags.slice(from, from + size)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (from + size < this.opts.tags.length) {
        const next = `/v2/${m[1]}/tags/list?n=${size}&last=${encodeURIComponent(page[page.length - 1] as string)}`
        const host = this.opts.nextHost ?? (this.opts.absoluteLinks ? this.url : undefined)
        headers.link = `<${host !== undefined ? `http://${host}${next}` : next}>; rel="next"`
      }
      res.writeHead(200, headers)
      res.end(JSON.stringify({ name: m[1], tags: page }))
    }
    if (this.opts.delayMs) setTimeout(answer, this.opts.delayMs)
    else answer()
  }
}

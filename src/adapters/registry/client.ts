// The OCI distribution API, as much of it as Flux's scan uses: GET /v2/<name>/tags/list
// (following Link headers to the end) and HEAD /v2/<name>/manifests/<tag> for digests.
// Authentication follows the registry's WWW-Authenticate challenge: a Bearer token from its
// realm (with Basic credentials when there are some), or Basic. Credentials go to the
// registry's own origin and to a realm it names that passes go-containerregistry's checks,
// nowhere else (core/registry/credential-scope.ts says why and where that is decided).
// Redirects are not followed: a 3xx is reported as the registry's answer. Every error passes
// through a Redactor that knows the secrets, so nothing secret goes into an error, a log line
// or a result, even when the registry echoes them.

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { originOf, realmRefusal } from '../../core/registry/credential-scope.js'
import type { ImageName } from '../../core/registry/image.js'
import { schemesFor } from '../../core/registry/image.js'
import { Redactor } from '../../core/registry/redactor.js'
import { TAG_LIMIT } from '../../core/policy/explain.js'

export type Credentials =
  | { kind: 'basic'; username: string; password: string; source: string }
  | { kind: 'bearer'; token: string; source: string }

export interface RegistryOptions {
  insecure?: boolean
  /** PEM: a CA to trust, and a client certificate and key (certSecretRef). */
  ca?: string
  cert?: string
  key?: string
  credentials?: Credentials
  /** Per-request timeout. */
  timeoutMs?: number
  /** Retries after a 429 or a 5xx, each waiting for Retry-After (capped) or a short backoff. */
  maxRetries?: number
  /** The longest Retry-After honoured, in milliseconds. */
  maxWaitMs?: number
  /** The page size asked for, as Flux's scan asks (?n=1000). */
  pageSize?: number
  /** The most tags a listing may hold (default TAG_LIMIT) and pages it may take (PAGE_LIMIT). */
  maxTags?: number
  maxPages?: number
}

/** refused: the registry pointed at a host its credentials may not go to, and was not followed. */
export type FailureKind = 'http' | 'tls' | 'network' | 'timeout' | 'protocol' | 'refused'

/** A registry failure, described for classification; it never holds a credential. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly detail: { url: string; status?: number; body?: string; challenge?: string; code?: string; credentials: string },
  ) {
    super(message)
  }
}

/**
 * A listing past what the tool reads (README, Limits): more tags than explain policy replays,
 * more than PAGE_LIMIT pages, or a Link back to a page already read. Not a registry failure
 * to classify (a registry that pages forever would otherwise hold the command, and its memory,
 * without end): the listing is refused.
 */
export class RegistryLimitError extends Error {}

/** The most pages a listing may take (100 million tags at the default page size). */
export const PAGE_LIMIT = 100_000

export interface TagList {
  tags: string[]
  pages: number
  /** Every request sent, auth handshakes included. */
  requests: number
  scheme: 'https' | 'http'
}

interface Response {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export class RegistryClient {
  /** The token the realm issued, and the registry origin it is for. */
  private bearer?: { origin: string; token: string }
  private readonly redactor = new Redactor()
  requests = 0

  constructor(
    private readonly name: ImageName,
    private readonly opts: RegistryOptions = {},
  ) {
    const c = opts.credentials
    if (c?.kind === 'basic') {
      this.redactor.add(c.password)
      this.redactor.add(`${c.username}:${c.password}`)
    } else if (c?.kind === 'bearer') this.redactor.add(c.token)
  }

  private limit(message: string): RegistryLimitError {
    return new RegistryLimitError(this.redactor.redact(message))
  }

  // Every error the client reports is made here, redacted.
  private fail(message: string, kind: FailureKind, detail: RegistryError['detail']): RegistryError {
    const r = (text: string): string => this.redactor.redact(text)
    return new RegistryError(r(message), kind, {
      ...detail,
      url: r(detail.url),
      ...(detail.body !== undefined ? { body: r(detail.body) } : {}),
      ...(detail.challenge !== undefined ? { challenge: r(detail.challenge) } : {}),
    })
  }

  private credentialsTried(): string {
    return this.opts.credentials ? `${this.opts.credentials.kind} credentials from ${this.opts.credentials.source}` : 'none (anonymous)'
  }

  /** Every tag, following Link headers to the last page. */
  async listTags(): Promise<TagList> {
    return this.overSchemes((scheme) => this.listWith(scheme))
  }

  // https first, then http where Flux would fall back. A TLS port answers plain HTTP with a
  // 400, so when https failed on an untrusted certificate, that is the failure to report.
  private async overSchemes<T>(attempt: (scheme: 'https' | 'http') => Promise<T>): Promise<T> {
    const schemes = schemesFor(this.name.registry, this.opts.insecure === true)
    let httpsFailure: RegistryError | undefined
    for (const [i, scheme] of schemes.entries()) {
      try {
        return await attempt(scheme)
      } catch (e) {
        if (!(e instanceof RegistryError)) throw e
        const last = i === schemes.length - 1
        if (last || e.kind === 'http' || e.kind === 'protocol' || e.kind === 'refused') {
          if (httpsFailure && isUntrustedCertificate(httpsFailure) && e.detail.status === 400) throw httpsFailure
          throw e
        }
        httpsFailure = e
      }
    }
    throw httpsFailure as RegistryError
  }

  private async listWith(scheme: 'https' | 'http'): Promise<TagList> {
    const tags: string[] = []
    let url: string | undefined = `${scheme}://${this.name.registry}/v2/${this.name.repository}/tags/list?n=${this.opts.pageSize ?? 1000}`
    const origin = originOf(url)
    const maxTags = this.opts.maxTags ?? TAG_LIMIT
    const maxPages = this.opts.maxPages ?? PAGE_LIMIT
    const visited = new Set<string>()
    let pages = 0
    while (url !== undefined) {
      if (visited.has(url)) throw this.limit(`GET ${url.split('?')[0]}: the registry's Link header points back at a page already read (${url}), so the listing would never end`)
      if (pages >= maxPages) throw this.limit(`GET ${url.split('?')[0]}: more than ${maxPages.toLocaleString('en')} pages of tags, the most flux-imgauto reads`)
      visited.add(url)
      const res = await this.authorized('GET', url)
      if (res.status !== 200) throw this.httpError(url, res)
      let page: { tags?: unknown }
      try {
        page = JSON.parse(res.body) as { tags?: unknown }
      } catch {
        throw this.fail(`GET ${url}: the registry answered 200 with a body that is not JSON`, 'protocol', { url, status: 200, credentials: this.credentialsTried() })
      }
      if (Array.isArray(page.tags)) for (const t of page.tags) if (typeof t === 'string') tags.push(t)
      if (tags.length > maxTags) throw this.limit(`GET ${url.split('?')[0]}: more than ${maxTags.toLocaleString('en')} tags, the most explain policy replays`)
      pages++
      const next = nextLink(res.headers.link, url)
      if (next === null) throw this.fail(`GET ${url}: the registry's Link header does not hold a URL`, 'protocol', { url, status: 200, credentials: this.credentialsTried() })
      if (next !== undefined && originOf(next) !== origin) {
        throw this.fail(`GET ${url.split('?')[0]}: the registry's Link header points the next page at ${originOf(next)}, not at ${origin}; flux-imgauto follows a Link only on the registry's own scheme, host and port, so that no credentials and no request reach another host`, 'refused', { url, status: 200, credentials: this.credentialsTried() })
      }
      url = next
    }
    return { tags, pages, requests: this.requests, scheme }
  }

  /** The manifest digest of a tag (Docker-Content-Digest of a HEAD), as Flux reflects it. */
  async digest(tag: string): Promise<string> {
    return this.overSchemes(async (scheme) => {
      const url = `${scheme}://${this.name.registry}/v2/${this.name.repository}/manifests/${tag}`
      const res = await this.authorized('HEAD', url, {
        accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      })
      if (res.status !== 200) throw this.httpError(url, res)
      const digest = res.headers['docker-content-digest']
      if (typeof digest !== 'string') throw this.fail(`HEAD ${url}: no Docker-Content-Digest header`, 'protocol', { url, status: 200, credentials: this.credentialsTried() })
      return digest
    })
  }

  // A request to the registry (url is on its origin: built from its name, or a Link checked
  // against it) with whatever authorization the registry's challenge asks for.
  private async authorized(method: 'GET' | 'HEAD', url: string, headers: Record<string, string> = {}): Promise<Response> {
    const origin = originOf(url)
    const send = async (auth?: string): Promise<Response> => this.retrying(method, url, { ...headers, ...(auth ? { authorization: auth } : {}) })
    if (this.bearer?.origin === origin) return send(`Bearer ${this.bearer.token}`)
    const creds = this.opts.credentials
    const first = await send(creds?.kind === 'bearer' ? `Bearer ${creds.token}` : undefined)
    if (first.status !== 401) return first
    // A static registry token is the whole credential: go-containerregistry sends it as it is
    // and never trades it at a realm (bearerTransport.refresh), so neither does this client.
    if (creds?.kind === 'bearer') return first
    const challenge = String(first.headers['www-authenticate'] ?? '')
    const scheme = challenge.split(/\s+/)[0]?.toLowerCase()
    if (scheme === 'bearer') {
      this.bearer = { origin, token: await this.token(challenge, url) }
      return send(`Bearer ${this.bearer.token}`)
    }
    if (scheme === 'basic' && creds?.kind === 'basic') return send(basicHeader(creds))
    return first
  }

  // The Bearer token flow: GET realm?service=…&scope=…, with Basic credentials if any. The
  // realm is checked first, as go-containerregistry checks it (validateRealmURL).
  private async token(challenge: string, forUrl: string): Promise<string> {
    const params = parseChallenge(challenge)
    const realm = params.realm
    if (!realm) throw this.fail(`${forUrl}: a Bearer challenge without a realm`, 'protocol', { url: forUrl, status: 401, challenge, credentials: this.credentialsTried() })
    const refusal = realmRefusal(realm, forUrl)
    if (refusal !== undefined) {
      throw this.fail(`${forUrl.split('?')[0]}: the registry names the token realm ${realm.split('?')[0]}, which is refused: ${refusal}; no credentials were sent to it`, 'refused', { url: forUrl, status: 401, challenge, credentials: this.credentialsTried() })
    }
    const tokenUrl = new URL(realm)
    if (params.service) tokenUrl.searchParams.set('service', params.service)
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${this.name.repository}:pull`)
    const creds = this.opts.credentials
    const res = await this.retrying('GET', tokenUrl.toString(), creds?.kind === 'basic' ? { authorization: basicHeader(creds) } : {})
    if (res.status !== 200) throw this.httpError(tokenUrl.toString(), res, challenge)
    try {
      const body = JSON.parse(res.body) as { token?: string; access_token?: string }
      const token = body.token ?? body.access_token
      if (typeof token !== 'string' || token === '') throw new Error('no token')
      this.redactor.add(token)
      return token
    } catch {
      throw this.fail(`GET ${tokenUrl.origin}${tokenUrl.pathname}: the token endpoint answered without a token`, 'protocol', { url: tokenUrl.toString(), status: res.status, credentials: this.credentialsTried() })
    }
  }

  // 429 and 5xx are retried a bounded number of times; 429 waits for Retry-After.
  private async retrying(method: string, url: string, headers: Record<string, string>): Promise<Response> {
    const maxRetries = this.opts.maxRetries ?? 3
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, url, headers)
      const retriable = res.status === 429 || res.status >= 500
      if (!retriable || attempt >= maxRetries) return res
      const wait = res.status === 429 ? retryAfterMs(res.headers['retry-after']) : 200 * 2 ** attempt
      await new Promise((r) => setTimeout(r, Math.min(wait, this.opts.maxWaitMs ?? 30_000)))
    }
  }

  private send(method: string, url: string, headers: Record<string, string>): Promise<Response> {
    this.requests++
    const u = new URL(url)
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest
    const timeoutMs = this.opts.timeoutMs ?? 30_000
    return new Promise((resolve, reject) => {
      const req = request(
        u,
        {
          method,
          headers: { 'user-agent': 'flux-imgauto', ...headers },
          ...(u.protocol === 'https:' ? { ca: this.opts.ca, cert: this.opts.cert, key: this.opts.key } : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
          res.on('error', (e) => reject(this.transportError(url, e)))
        },
      )
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })))
      req.on('error', (e) => reject(this.transportError(url, e as NodeJS.ErrnoException)))
      req.end()
    })
  }

  private transportError(url: string, e: NodeJS.ErrnoException): RegistryError {
    const code = e.code ?? ''
    const credentials = this.credentialsTried()
    if (code === 'ETIMEDOUT') return this.fail(`${url}: ${e.message}`, 'timeout', { url, code, credentials })
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|ERR_SSL/.test(code) || /certificate|SSL|TLS/i.test(e.message)) {
      return this.fail(`${url}: ${e.message}`, 'tls', { url, code, credentials })
    }
    return this.fail(`${url}: ${code || e.message}`, 'network', { url, code, credentials })
  }

  private httpError(url: string, res: Response, challenge?: string): RegistryError {
    // Redacted before it is cut, so that a cut never leaves the head of a secret behind.
    const redacted = this.redactor.redact(res.body)
    const body = redacted.length > 500 ? redacted.slice(0, 500) + '…' : redacted
    const wwwAuth = challenge ?? (typeof res.headers['www-authenticate'] === 'string' ? res.headers['www-authenticate'] : undefined)
    return this.fail(`${url.split('?')[0]}: unexpected status code ${res.status}${body.trim() ? `: ${body.trim()}` : ''}`, 'http', {
      url,
      status: res.status,
      body,
      ...(wwwAuth ? { challenge: wwwAuth } : {}),
      credentials: this.credentialsTried(),
    })
  }
}

function isUntrustedCertificate(e: RegistryError): boolean {
  return e.kind === 'tls' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(e.detail.code ?? '')
}

function basicHeader(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
}

/** The parameters of a WWW-Authenticate challenge: realm, service, scope. */
export function parseChallenge(challenge: string): Record<string, string> {
  const out: Record<string, string> = {}
  const params = challenge.replace(/^\S+\s*/, '')
  for (const m of params.matchAll(/([a-zA-Z_]+)="([^"]*)"|([a-zA-Z_]+)=([^,\s]*)/g)) {
    const key = (m[1] ?? m[3]) as string
    out[key.toLowerCase()] = (m[2] ?? m[4]) as string
  }
  return out
}

/** The rel="next" target of a Link header, resolved against the current URL; null when it is not a URL. */
export function nextLink(link: string | string[] | undefined, current: string): string | undefined | null {
  const value = Array.isArray(link) ? link.join(', ') : link
  if (!value) return undefined
  for (const part of value.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)
    if (m) return URL.canParse(m[1] as string, current) ? new URL(m[1] as string, current).toString() : null
  }
  return undefined
}

function retryAfterMs(value: string | string[] | undefined): number {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return 1000
  const seconds = Number(v)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(v)
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000
}

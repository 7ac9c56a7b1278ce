import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegistryClient, RegistryError } from '../../src/adapters/registry/client.js'
import { parseImage, type ImageName } from '../../src/core/registry/image.js'
import { FakeRegistry } from '../support/fake-registry.js'
import { type RegistryInstance, type RegistrySet, SENTINEL, startRegistrySet } from '../support/registry.js'

const TAGS = Array.from({ length: 25 }, (_, i) => `1.${i}.0`)

function image(host: string, repository = 'team/app'): ImageName {
  const p = parseImage(`${host}/${repository}`)
  if (!p.ok) throw new Error(p.message)
  return p.name
}

describe('a real registry (distribution 2.8)', () => {
  let set: RegistrySet
  let anonymous: RegistryInstance
  let basic: RegistryInstance
  let tls: RegistryInstance

  beforeAll(async () => {
    set = await startRegistrySet(TAGS)
    ;({ anonymous, basic, tls } = set)
  }, 60_000)
  afterAll(async () => {
    await set?.stop()
  })

  it('lists every tag anonymously', async () => {
    const r = await new RegistryClient(image(anonymous.host)).listTags()
    expect(r.tags.sort()).toEqual([...TAGS].sort())
    expect(r.scheme).toBe('http')
  })

  it('reads the digest Flux would reflect', async () => {
    expect(await new RegistryClient(image(anonymous.host)).digest('1.3.0')).toBe(set.digest)
  })

  it('reports a repository that does not exist as a 404', async () => {
    const e = await new RegistryClient(image(anonymous.host, 'team/nope')).listTags().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(RegistryError)
    expect((e as RegistryError).detail.status).toBe(404)
  })

  it('needs basic credentials where htpasswd is on, and never shows them', async () => {
    const refused = (await new RegistryClient(image(basic.host)).listTags().catch((x: unknown) => x)) as RegistryError
    expect(refused.detail).toMatchObject({ status: 401, credentials: 'none (anonymous)' })
    const wrong = (await new RegistryClient(image(basic.host), { credentials: { kind: 'basic', username: 'ci', password: 'wrong', source: 'test' } }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(wrong.detail.status).toBe(401)
    const r = await new RegistryClient(image(basic.host), { credentials: { kind: 'basic', username: 'ci', password: SENTINEL, source: 'test' } }).listTags()
    expect(r.tags).toHaveLength(25)
    for (const e of [refused, wrong]) expect(JSON.stringify({ m: e.message, d: e.detail })).not.toContain(SENTINEL)
  })

  it('trusts a TLS registry only with its CA', async () => {
    const untrusted = (await new RegistryClient(image(tls.host)).listTags().catch((x: unknown) => x)) as RegistryError
    // https fails on the certificate; the loopback fallback to http gets a 400 from the TLS
    // port, which must not hide the real cause.
    expect(untrusted).toBeInstanceOf(RegistryError)
    expect(untrusted.kind).toBe('tls')
    const r = await new RegistryClient(image(tls.host), { ca: tls.ca as string }).listTags()
    expect(r.scheme).toBe('https')
    expect(r.tags).toHaveLength(25)
  })
})

describe('pagination, retries and slowness (a registry of our own)', () => {
  const many = Array.from({ length: 10_000 }, (_, i) => `t${String(i).padStart(5, '0')}`)

  it.each([false, true])('follows Link headers to the end, one request per page (absolute links: %s)', async (absoluteLinks) => {
    const reg = new FakeRegistry({ tags: many, pageSize: 100, absoluteLinks })
    const host = await reg.start()
    try {
      const r = await new RegistryClient(image(host), { pageSize: 100 }).listTags()
      expect(r.tags).toEqual(many)
      expect(r.pages).toBe(100)
      expect(reg.tagRequests).toBe(100)
    } finally {
      await reg.stop()
    }
  })

  it('waits for Retry-After on 429, a bounded number of times', async () => {
    const reg = new FakeRegistry({ tags: ['1.0.0'], throttle: { times: 2, retryAfter: '0' } })
    const host = await reg.start()
    try {
      expect((await new RegistryClient(image(host)).listTags()).tags).toEqual(['1.0.0'])
      expect(reg.tagRequests).toBe(3)
      const stubborn = new FakeRegistry({ tags: ['1.0.0'], throttle: { times: 99, retryAfter: '0' } })
      const h2 = await stubborn.start()
      const e = (await new RegistryClient(image(h2), { maxRetries: 2 }).listTags().catch((x: unknown) => x)) as RegistryError
      expect(e.detail.status).toBe(429)
      expect(stubborn.tagRequests).toBe(3)
      await stubborn.stop()
    } finally {
      await reg.stop()
    }
  })

  it('retries a 5xx, then reports it', async () => {
    const reg = new FakeRegistry({ tags: ['1.0.0'], fail: { times: 1, status: 503 } })
    const host = await reg.start()
    try {
      expect((await new RegistryClient(image(host)).listTags()).tags).toEqual(['1.0.0'])
    } finally {
      await reg.stop()
    }
  })

  it('gives up on a registry that does not answer in time', async () => {
    const reg = new FakeRegistry({ tags: ['1.0.0'], delayMs: 2000 })
    const host = await reg.start()
    try {
      const e = (await new RegistryClient(image(host), { timeoutMs: 200 }).listTags().catch((x: unknown) => x)) as RegistryError
      expect(e.kind).toBe('timeout')
    } finally {
      await reg.stop()
    }
  })

  it('follows a Bearer challenge to the token realm', async () => {
    const reg = new FakeRegistry({ tags: ['1.0.0', '1.1.0'], bearer: { token: 'tok' } })
    const host = await reg.start()
    try {
      expect((await new RegistryClient(image(host)).listTags()).tags).toEqual(['1.0.0', '1.1.0'])
      expect(reg.log.filter((l) => l.startsWith('GET /token')).length).toBe(1)
      expect(reg.log.find((l) => l.startsWith('GET /token'))).toContain('scope=repository%3Ateam%2Fapp%3Apull')
    } finally {
      await reg.stop()
    }
  })
})

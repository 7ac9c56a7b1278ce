// A registry that tries to send the client's credentials elsewhere, with a second loopback
// registry that records every request it gets: no credential may reach it, and nothing
// secret may come back in an error.

import { afterEach, describe, expect, it } from 'vitest'
import { type Credentials, RegistryClient, RegistryError } from '../../src/adapters/registry/client.js'
import { parseImage, type ImageName } from '../../src/core/registry/image.js'
import { FakeRegistry, type FakeRegistryOptions } from '../support/fake-registry.js'
import { SENTINEL } from '../support/registry.js'

const TAGS = ['1.0.0', '1.1.0', '1.2.0', '2.0.0']
const TOKEN = 'issued-token-0f-the-realm'
const STATIC = 'static-registrytoken-0f-the-config'
const basic: Credentials = { kind: 'basic', username: 'ci', password: SENTINEL, source: 'test' }
const BASIC = `Basic ${Buffer.from(`ci:${SENTINEL}`).toString('base64')}`

const running: FakeRegistry[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()))
})

async function start(opts: FakeRegistryOptions): Promise<FakeRegistry> {
  const r = new FakeRegistry(opts)
  running.push(r)
  await r.start()
  return r
}

function image(host: string): ImageName {
  const p = parseImage(`${host}/team/app`)
  if (!p.ok) throw new Error(p.message)
  return p.name
}

/** A second host that answers every tag request with 401 Basic, to lure credentials, and issues tokens to anyone. */
const elsewhere = (): Promise<FakeRegistry> => start({ tags: ['6.6.6'], basic: 'Basic none-will-do', bearer: { token: 'hostile' } })

function secrets(e: RegistryError): string {
  return JSON.stringify({ message: e.message, detail: e.detail })
}

function expectNoSecret(text: string): void {
  for (const s of [SENTINEL, Buffer.from(SENTINEL).toString('base64'), BASIC.slice('Basic '.length), TOKEN, Buffer.from(TOKEN).toString('base64'), STATIC]) expect(text).not.toContain(s)
}

describe("a Link to another host is refused, and that host gets nothing", () => {
  it.each([
    ['Basic credentials', { basic: BASIC }, basic],
    ['a token from the realm, for Basic credentials', { bearer: { token: TOKEN }, tokenAuthorization: BASIC }, basic],
    ['a static registry token', { bearer: { token: STATIC } }, { kind: 'bearer', token: STATIC, source: 'test' } as Credentials],
    ['no credentials', {}, undefined],
  ] as [string, Partial<FakeRegistryOptions>, Credentials | undefined][])('%s', async (_what, auth, credentials) => {
    const other = await elsewhere()
    const registry = await start({ tags: TAGS, pageSize: 2, nextHost: other.url, ...auth })
    const e = await new RegistryClient(image(registry.url), { pageSize: 2, ...(credentials ? { credentials } : {}) }).listTags().catch((x: unknown) => x)
    expect(other.seen.filter((r) => r.authorization !== undefined)).toEqual([])
    expect(e).toBeInstanceOf(RegistryError)
    expect((e as RegistryError).kind).toBe('refused')
    expect((e as RegistryError).message).toContain(`Link header points the next page at http://${other.url}, not at http://${registry.url}`)
    expect(other.seen).toEqual([])
    // The registry itself got what it asked for.
    expect(registry.seen.some((r) => r.path.startsWith('/v2/team/app/tags/list') && r.authorization !== undefined)).toBe(credentials !== undefined)
  })

  it('still follows a Link on its own origin, absolute or relative, with the credentials', async () => {
    const registry = await start({ tags: TAGS, pageSize: 2, absoluteLinks: true, basic: BASIC })
    const r = await new RegistryClient(image(registry.url), { pageSize: 2, credentials: basic }).listTags()
    expect(r.tags).toEqual(TAGS)
    expect(registry.seen.filter((s) => s.authorization === BASIC).length).toBe(2)
  })
})

describe('a Link that is not a URL', () => {
  it('is a protocol error, not a crash', async () => {
    const registry = await start({ tags: TAGS, pageSize: 2, nextHost: '[not-a-host' })
    const e = (await new RegistryClient(image(registry.url), { pageSize: 2 }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(e).toBeInstanceOf(RegistryError)
    expect(e.kind).toBe('protocol')
    expect(e.message).toMatch(/the registry's Link header does not hold a URL$/)
  })
})

describe('a token realm on another host', () => {
  it.each([
    ['another port of 127.0.0.1', (other: FakeRegistry) => `http://${other.url}/token`],
    ['localhost', (other: FakeRegistry) => `http://localhost:${other.url.split(':')[1]}/token`],
  ])('on %s is refused before anything is sent to it', async (_what, realm) => {
    const other = await elsewhere()
    const registry = await start({ tags: TAGS, bearer: { token: TOKEN }, realm: realm(other) })
    const e = (await new RegistryClient(image(registry.url), { credentials: basic }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(other.seen.filter((r) => r.authorization !== undefined)).toEqual([])
    expect(e).toBeInstanceOf(RegistryError)
    expect(e.kind).toBe('refused')
    expect(e.message).toMatch(/the registry names the token realm http:\/\/.*\/token, which is refused: its host (127\.0\.0\.1|localhost) is a loopback (address|name); no credentials were sent to it/)
    expect(other.seen).toEqual([])
    expectNoSecret(secrets(e))
  })

  it("on the registry's own host:port gets the Basic credentials, as Docker's token protocol has it", async () => {
    const registry = await start({ tags: TAGS, bearer: { token: TOKEN }, tokenAuthorization: BASIC })
    expect((await new RegistryClient(image(registry.url), { credentials: basic }).listTags()).tags).toEqual(TAGS)
    expect(registry.seen.find((s) => s.path.startsWith('/token'))?.authorization).toBe(BASIC)
  })

  it('is never asked to trade a static registry token', async () => {
    const registry = await start({ tags: TAGS, bearer: { token: TOKEN } })
    const e = (await new RegistryClient(image(registry.url), { credentials: { kind: 'bearer', token: STATIC, source: 'test' } }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(e.detail.status).toBe(401)
    expect(registry.seen.filter((s) => s.path.startsWith('/token'))).toEqual([])
    expectNoSecret(secrets(e))
  })
})

describe('an error body that echoes the Authorization header', () => {
  it.each([
    ['Basic credentials', { basic: BASIC, echo: 403 }, basic],
    ['a token from the realm', { bearer: { token: TOKEN }, tokenAuthorization: BASIC, echo: 403 }, basic],
    ['a static registry token', { bearer: { token: STATIC }, echo: 403 }, { kind: 'bearer', token: STATIC, source: 'test' } as Credentials],
  ] as [string, Partial<FakeRegistryOptions>, Credentials][])('is redacted: %s', async (_what, behaviour, credentials) => {
    const registry = await start({ tags: TAGS, ...behaviour })
    const e = (await new RegistryClient(image(registry.url), { credentials }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(e.detail.status).toBe(403)
    // The echo is there, without its secrets.
    expect(e.message).toMatch(/request headers: Authorization: (Basic|Bearer) \[REDACTED\]"/)
    expectNoSecret(secrets(e))
  })

  it('is redacted before it is cut, so no head of a secret is left at the cut', async () => {
    // 490 characters, then "ci:" and the password: the 500-character cut falls inside it.
    const registry = await start({ tags: TAGS, basic: BASIC, echo: 403, echoPad: 490 })
    const e = (await new RegistryClient(image(registry.url), { credentials: basic }).listTags().catch((x: unknown) => x)) as RegistryError
    expect(e.detail.body?.startsWith('x'.repeat(490))).toBe(true)
    expect(secrets(e)).not.toContain(SENTINEL.slice(0, 6))
    expectNoSecret(secrets(e))
  })
})

// A registry that pages without end (a Link to yet another page, or back to one already read)
// must not hold explain policy, and its memory, forever: the listing stops at the limits in the
// README (Limits) with one coded ERR_REGISTRY line.

import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PAGE_LIMIT, RegistryClient, RegistryLimitError } from '../../src/adapters/registry/client.js'
import { TAG_LIMIT } from '../../src/core/policy/explain.js'
import { parseImage, type ImageName } from '../../src/core/registry/image.js'
import { runCli } from '../support/cli.js'
import { tempDir } from '../support/tree.js'

// Page n of an endless listing: `perPage` tags, and a Link to the page `next(n)` names.
function endless(perPage: number, next: (n: number) => number): { start: () => Promise<string>; stop: () => Promise<void>; requests: () => number } {
  let requests = 0
  let server: Server | undefined
  return {
    async start() {
      server = createServer((req, res) => {
        const u = new URL(req.url ?? '/', 'http://x')
        if (!u.pathname.endsWith('/tags/list')) {
          res.writeHead(404)
          res.end()
          return
        }
        requests++
        const n = Number(u.searchParams.get('page') ?? '0')
        const tags = Array.from({ length: perPage }, (_, i) => `1.${n}.${i}`)
        res.writeHead(200, { 'content-type': 'application/json', link: `<${u.pathname}?n=${perPage}&page=${next(n)}>; rel="next"` })
        res.end(JSON.stringify({ name: 'team/app', tags }))
      })
      await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
      return `127.0.0.1:${(server?.address() as AddressInfo).port}`
    },
    async stop() {
      server?.closeAllConnections()
      await new Promise<void>((r) => server?.close(() => r()))
    },
    requests: () => requests,
  }
}

function image(host: string): ImageName {
  const p = parseImage(`${host}/team/app`)
  if (!p.ok) throw new Error(p.message)
  return p.name
}

async function refusal(host: string, opts: ConstructorParameters<typeof RegistryClient>[1] = {}): Promise<RegistryLimitError> {
  const e = await new RegistryClient(image(host), opts).listTags().then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(RegistryLimitError)
  return e as RegistryLimitError
}

describe('a listing that never ends', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  it(`stops past the most tags explain policy replays (${TAG_LIMIT.toLocaleString('en')}; here a smaller bound)`, async () => {
    const reg = endless(100, (n) => n + 1)
    const host = await reg.start()
    stop = reg.stop
    const e = await refusal(host, { maxTags: 1000 })
    expect(e.message).toBe(`GET http://${host}/v2/team/app/tags/list: more than 1,000 tags, the most explain policy replays`)
    expect(reg.requests()).toBe(11)
  })

  it('stops at a Link back to a page already read, at once', async () => {
    const reg = endless(10, (n) => (n + 1) % 3)
    const host = await reg.start()
    stop = reg.stop
    const e = await refusal(host)
    expect(e.message).toMatch(/: the registry's Link header points back at a page already read \(http:\/\/.+page=1\), so the listing would never end$/)
    // The first page, pages 1 and 2, page 0 by its Link, and no more.
    expect(reg.requests()).toBe(4)
  })

  it(`stops past ${PAGE_LIMIT.toLocaleString('en')} pages (here a smaller bound), however few tags each holds`, async () => {
    const reg = endless(0, (n) => n + 1)
    const host = await reg.start()
    stop = reg.stop
    const e = await refusal(host, { maxPages: 50 })
    expect(e.message).toBe(`GET http://${host}/v2/team/app/tags/list: more than 50 pages of tags, the most flux-imgauto reads`)
    expect(reg.requests()).toBe(50)
  })

  it('is one coded ERR_REGISTRY line in explain policy, with no guess at a cause', async () => {
    const reg = endless(10, () => 0)
    const host = await reg.start()
    stop = reg.stop
    const policy = join(tempDir(), 'policy.yaml')
    writeFileSync(
      policy,
      `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  image: ${host}/team/app\n  interval: 5m\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: app\n  policy:\n    semver:\n      range: ">=1.0.0 <2.0.0"\n`,
    )
    const r = await runCli(['explain', 'policy', '--file', policy, '--docker-config', '/nonexistent', '--json'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout) as { errors: { code: string; message: string }[]; findings: { code: string }[] }
    expect(env.errors).toEqual([expect.objectContaining({ code: 'ERR_REGISTRY', message: expect.stringMatching(/^listing tags of .+: GET http:\/\/.+ points back at a page already read/) })])
    expect(env.findings.map((f) => f.code)).not.toContain('FIA409')
  })
})

// flux-imgauto mcp as an MCP client sees it: the SDK's own client spawns the built CLI over
// stdio, lists the tools and the prompt, and calls every tool against fixtures and the fake
// API server. The client validates each structured result against the tool's output schema;
// no reply may carry the Secret values the cluster holds.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { ROOT } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { scenario } from '../support/scenario.js'
import { writeTree } from '../support/tree.js'

const SENTINEL = 'sentinel-d2f1c0ffee-do-not-print'
const b64 = (s: string) => Buffer.from(s).toString('base64')

// The healthy cluster, its Git deploy key holding the sentinel.
const objects = scenario('healthy').map((o) =>
  o.kind === 'Secret' ? { ...o, data: { identity: b64(SENTINEL), 'identity.pub': b64(SENTINEL), known_hosts: b64(SENTINEL) } } : o,
)
const api = FakeApiServer.fromObjects(objects)
let client: Client
const replies: string[] = []

const call = async (name: string, args: Record<string, unknown> = {}) => {
  const r = await client.callTool({ name, arguments: args })
  replies.push(JSON.stringify(r))
  return r as { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: Record<string, unknown> & { findings?: { code: string }[] } }
}

beforeAll(async () => {
  const kubeconfig = api.kubeconfig(await api.start(), 'prod')
  client = new Client({ name: 'flux-imgauto-test', version: '1.0.0' })
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, 'bin/run.js'), 'mcp', '--root', ROOT, '--kubeconfig', kubeconfig, '--context', 'prod', '--allow-context', 'staging'],
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
    stderr: 'pipe',
  })
  await client.connect(transport)
}, 60000)

afterAll(async () => {
  await client?.close()
  await api.stop()
})

describe('flux-imgauto mcp', () => {
  it('lists the tools, read-only, and the runbook prompt', async () => {
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['doctor', 'explain_code', 'explain_policy', 'lint', 'list_codes', 'preview_commit', 'trace_markers'])
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(true)
      expect(t.outputSchema, t.name).toBeDefined()
    }
    const { prompts } = await client.listPrompts()
    expect(prompts.map((p) => p.name)).toEqual(['no-update-happened'])
    const prompt = await client.getPrompt({ name: 'no-update-happened', arguments: { namespace: 'apps', policy: 'web' } })
    const text = (prompt.messages[0]?.content as { text: string }).text
    expect(text).toContain('the ImagePolicy apps/web')
    expect(text).toMatch(/1\. doctor[\s\S]*2\. explain_policy[\s\S]*3\. trace_markers[\s\S]*4\. preview_commit/)
  })

  it('doctor: the cluster through the fake API server, with the envelope and a summary', async () => {
    const r = await call('doctor', { now: '2026-11-24T10:00:00Z' })
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'DoctorReport', status: 'ok', findings: [], errors: [] })
    expect(r.content[0]?.text).toBe('DoctorReport: ok; 0 finding(s) (0 error, 0 warning, 0 info), 0 tool error(s).')
    // It listed the Secrets (the deploy key is referenced) and still printed none of them.
    expect(api.log.some((e) => e.path === '/api/v1/namespaces/flux-system/secrets')).toBe(true)
  })

  it('doctor: artifact traces markers without a checkout', async () => {
    const r = await call('doctor', { now: '2026-11-24T10:00:00Z', artifact: true })
    // The fixture's GitRepository artifact has no url: nothing to download, and FIA470 says so.
    const envelope = r.structuredContent as { findings: { code: string }[]; result: { checks: { id: string; status: string }[] } }
    expect(envelope.findings.map((f) => f.code)).toEqual(['FIA470'])
    expect(envelope.result.checks.find((c) => c.id === 'markers')?.status).toBe('failed')
  })

  it('doctor: a saved snapshot needs no cluster', async () => {
    // Under --root (the repository), in its ignored scratch directory.
    mkdirSync(join(ROOT, '.scratch'), { recursive: true })
    const file = join(ROOT, '.scratch', `mcp-snapshot-${process.pid}.yaml`)
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: scenario('c1-range-matches-nothing') }))
    const r = await call('doctor', { snapshot: file, now: '2026-11-24T10:00:00Z' })
    rmSync(file)
    expect(r.structuredContent?.kind).toBe('DoctorReport')
    expect(r.structuredContent?.findings?.map((f) => f.code)).toEqual(['FIA420', 'FIA105', 'FIA111'])
  })

  it('refuses a context outside the allow-list, and a path outside --root', async () => {
    const ctx = await call('doctor', { context: 'kind-admin' })
    expect(ctx.isError).toBe(true)
    expect(ctx.content[0]?.text).toBe('context "kind-admin" is not allowed; allowed: prod, staging')
    const outside = await call('lint', { path: '/etc' })
    expect(outside.isError).toBe(true)
    expect(outside.content[0]?.text).toMatch(/^\/etc is outside the directory this server may read/)
    // An allowed context that the kubeconfig lacks is the command's own coded error.
    const staging = await call('doctor', { context: 'staging' })
    expect(staging.structuredContent?.errors).toEqual([expect.objectContaining({ code: 'ERR_KUBECONFIG' })])
  })

  it('explain_policy: from the cluster, over the status tags', async () => {
    const r = await call('explain_policy', { name: 'podinfo', namespace: 'flux-system', no_registry: true })
    expect(r.structuredContent).toMatchObject({ kind: 'PolicyExplanation' })
    expect((r.structuredContent?.result as { replay: { latest: string } }).replay.latest).toBe('6.7.1')
  })

  it('explain_policy: from files', async () => {
    const r = await call('explain_policy', { file: 'fixtures/policies/podinfo-semver.yaml', tags_file: 'fixtures/policies/podinfo-tags.txt' })
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'PolicyExplanation' })
  })

  it('lint, trace_markers and preview_commit on fixtures', async () => {
    const lint = await call('lint', { path: 'fixtures/lint/trees/marker-other-namespace' })
    expect(lint.structuredContent?.findings?.map((f) => f.code)).toEqual(['FIA302'])
    expect(lint.content[0]?.text).toContain('warning FIA302: ')

    const repo = writeTree({
      'clusters/prod/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n',
      'policies.yaml':
        'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: flux-system}\nspec: {imageRepositoryRef: {name: web}, policy: {semver: {range: ">=2.0.0"}}}\nstatus: {latestRef: {name: ghcr.io/shop/web, tag: 2.4.0}}\n',
    })
    // The tree lies outside --root (a temp dir): refused, as any path there would be.
    expect((await call('trace_markers', { path: repo, update_path: './clusters/prod', policies_file: join(repo, 'policies.yaml') })).isError).toBe(true)
    const inRoot = 'fixtures/lint/trees/marker-ok'
    const trace = await call('trace_markers', { path: inRoot, namespace: 'apps', update_path: '.', policies_file: `${inRoot}/flux.yaml` })
    expect(trace.structuredContent?.kind).toBe('MarkerTrace')
    const preview = await call('preview_commit', { path: inRoot, namespace: 'apps', update_path: '.', policies_file: `${inRoot}/flux.yaml` })
    expect(preview.structuredContent?.kind).toBe('CommitPreview')
  })

  it('list_codes and explain_code', async () => {
    const codes = await call('list_codes')
    expect((codes.structuredContent?.result as { findings: unknown[] }).findings.length).toBeGreaterThan(80)
    const fia105 = await call('explain_code', { code: 'fia105' })
    expect(fia105.structuredContent).toMatchObject({ code: 'FIA105', kind: 'finding', severity: 'error', title: 'No tag satisfies the semver range' })
    const err = await call('explain_code', { code: 'ERR_FORBIDDEN' })
    expect(err.structuredContent).toMatchObject({ code: 'ERR_FORBIDDEN', kind: 'error', exitCode: 3 })
    expect((await call('explain_code', { code: 'FIA999' })).isError).toBe(true)
  })

  it('no reply carries a Secret value', () => {
    expect(replies.length).toBeGreaterThan(10)
    for (const r of replies) {
      expect(r).not.toContain(SENTINEL)
      expect(r).not.toContain(b64(SENTINEL))
    }
  })
})

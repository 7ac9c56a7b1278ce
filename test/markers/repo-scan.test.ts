import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { scanRepository, secureJoin } from '../../src/adapters/repo-files.js'
import { MAX_FLUX_FILE_BYTES, MAX_SCREEN_BYTES, unreadFindings } from '../../src/core/markers/unread.js'
import { ROOT, runCli } from '../support/cli.js'
import { scenario } from '../support/scenario.js'
import { hashTree, tempDir, writeTree } from '../support/tree.js'

const M = '# {"$imagepolicy": "flux-system:app"}'
const POLICIES = 'fixtures/markers/app-policies.yaml'

describe('which files Flux reads', () => {
  const root = writeTree({
    'apps/deploy.yaml': `image: x:1 ${M}\n`,
    'apps/kustomization.yml': `images:\n- newTag: v1 # {"$imagepolicy": "flux-system:app:tag"}\n`,
    'apps/Kustomization': `images:\n- newTag: v1 # {"$imagepolicy": "flux-system:app:tag"}\n`,
    'apps/UPPER.YAML': `image: x:1 ${M}\n`,
    'apps/values.yaml.gotmpl': `image: x:1 ${M}\n`,
    'apps/notes.json': `{"image": "x:1"} ${M}\n`,
    'apps/README.md': `Mark the image: image: x:1 ${M}\n`,
    'apps/quotes.yaml': "image: x:1 # {'$imagepolicy': 'flux-system:app'}\n",
    'apps/.github/ci.yaml': `image: x:1 ${M}\n`,
    'apps/dangling.yaml': { link: 'missing.yaml' },
    'apps/plain.yaml': 'kind: ImagePolicy\nimage: x:1\n',
    'apps/tool.js': 'const kind = "ImagePolicy" // see the $imagepolicy docs\n',
    'shared/base.yaml': `image: x:1 ${M}\n`,
    'apps/linked': { link: '../shared' },
  })

  it('reads .yaml, .yml and Kustomization with the token, dot-directories included', () => {
    const scan = scanRepository(root, 'apps')
    expect(scan.files.map((f) => f.path)).toEqual(['.github/ci.yaml', 'Kustomization', 'deploy.yaml', 'kustomization.yml'])
  })

  it('notes every near-miss file with its reason, but not documentation showing a marker', () => {
    const scan = scanRepository(root, 'apps')
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([
      ['UPPER.YAML', 'FIA321'],
      ['linked/base.yaml', 'FIA324'],
      ['notes.json', 'FIA321'],
      ['quotes.yaml', 'FIA325'],
      ['values.yaml.gotmpl', 'FIA321'],
      ['../shared/base.yaml', 'FIA320'],
    ])
  })

  it('reads a single file when update.path names one', () => {
    const scan = scanRepository(root, 'apps/deploy.yaml')
    expect(scan.files.map((f) => f.path)).toEqual(['deploy.yaml'])
  })

  it('fails the run as Flux does when update.path does not exist', () => {
    const scan = scanRepository(root, 'nope')
    expect(scan.runError).toBe(`failed to apply policies: walking path for files: lstat ${join(root, 'nope')}: no such file or directory`)
  })
})

describe('path safety', () => {
  it('joins update.path under the root whatever it says', () => {
    const root = writeTree({ 'a/b.yaml': 'x: 1\n', 'up': { link: '../../..' }, 'abs': { link: '/etc' } })
    expect(secureJoin(root, '../..')).toBe(root)
    expect(secureJoin(root, '/etc')).toBe(join(root, 'etc'))
    expect(secureJoin(root, 'a/../../b')).toBe(join(root, 'b'))
    expect(secureJoin(root, 'up')).toBe(root)
    expect(secureJoin(root, 'abs/passwd')).toBe(join(root, 'etc/passwd'))
  })

  it('never reads a marker file outside the root', () => {
    const outside = tempDir('fia-outside-')
    writeFileSync(join(outside, 'secret.yaml'), `image: x:1 ${M}\n`)
    const root = writeTree({ 'in.yaml': `image: x:1 ${M}\n`, 'escape.yaml': { link: join(outside, 'secret.yaml') }, 'dir': { link: outside } })
    for (const updatePath of ['..', '../..', outside, 'dir', 'escape.yaml']) {
      const scan = scanRepository(root, updatePath)
      const all = [...scan.files, ...scan.skipped]
      expect(all.every((f) => !f.path.includes('secret')), `update.path ${updatePath}`).toBe(true)
    }
  })
})

describe('trace and preview are read-only', () => {
  it('leave the scanned tree exactly as it was', async () => {
    const root = writeTree({
      'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: ghcr.io/org/app:1.0.0 ${M}\n`,
      'crlf.yaml': `a: 1\r\n\r\nimage: x:1 ${M}\r\n`,
    })
    const before = hashTree(root)
    for (const cmd of ['trace', 'preview']) {
      const r = await runCli([cmd, root, '--policies-file', POLICIES])
      expect(r.code, r.stderr).toBe(0)
    }
    const out = join(tempDir(), 'out')
    await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(hashTree(root)).toBe(before)
  })

  it('refuses an --out inside the checkout', async () => {
    const root = writeTree({ 'd.yaml': `image: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', join(root, 'out')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_USAGE: --out .* is inside/)
  })
})

describe('trace from the command line', () => {
  it('reports near misses as findings with their location, and exits by --fail-on', async () => {
    const root = writeTree({ 'a.yaml': `image: x:1 # {"$imagepolicy": "apps:app"}\n`, 'b.YAML': `image: x:1 ${M}\n` })
    const r = await runCli(['trace', root, '--policies-file', POLICIES, '--json', '--fail-on', 'warning'])
    expect(r.code).toBe(1)
    const env = JSON.parse(r.stdout)
    expect(env.kind).toBe('MarkerTrace')
    expect(env.findings.map((f: { code: string; location: unknown }) => [f.code, f.location])).toEqual([
      ['FIA302', { file: 'a.yaml', line: 1, column: 8 }], // the value Flux would rewrite
      ['FIA321', { file: 'b.YAML', line: 1, column: 12 }], // a file Flux never parses: the marker itself
    ])
    expect(env.result.markers.map((m: { status: string }) => m.status)).toEqual(['ignored', 'ignored'])
  })
})


describe('run-wide outcomes', () => {
  it('reports a missing update.path as the failure Flux would have (FIA341)', async () => {
    const root = writeTree({ 'a.yaml': `image: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--path', 'nope', '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ code: 'FIA341', severity: 'error' })
  })

  it('says which other lines Flux reformats in a file it writes (FIA333)', async () => {
    const root = writeTree({ 'a.yaml': `a: 1\n\nimage: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--json'])
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === 'FIA333')
    expect(f).toMatchObject({ severity: 'info', location: { file: 'a.yaml', line: 2 }, evidence: ['line 2: the blank line is dropped'] })
    expect(r.code).toBe(0)
  })
})

describe('the walk reads regular files only, never .git, and a bounded amount', () => {
  // Sockets can be made in process; FIFOs are tested through the CLI below, since opening one
  // blocks the thread that does it.
  const sockets: Server[] = []
  afterAll(() => sockets.forEach((s) => s.close()))
  const socketAt = (path: string): Promise<void> =>
    new Promise((resolve) => {
      const s = createServer()
      sockets.push(s)
      s.listen(path, resolve)
    })

  it('reports a socket, inside update.path or out, and opens neither', async () => {
    const root = writeTree({ 'apps/a.yaml': `image: x:1 ${M}\n`, 'tools/.keep': '' })
    await socketAt(join(root, 'apps/x.yaml'))
    await socketAt(join(root, 'tools/agent.sock'))
    const scan = scanRepository(root, 'apps')
    expect(scan.runError).toBeUndefined()
    expect(scan.files.map((f) => f.path)).toEqual(['a.yaml'])
    expect(scan.unread).toEqual([
      { path: 'x.yaml', reason: 'special', detail: 'a socket', fluxReads: true },
      { path: '../tools/agent.sock', reason: 'special', detail: 'a socket', fluxReads: false },
    ])
  })

  it('skips dangling and looping symlinks, and follows no directory symlink twice', () => {
    const root = writeTree({
      'apps/a.yaml': `image: x:1 ${M}\n`,
      'apps/dangling.yaml': { link: 'missing.yaml' },
      'apps/loop.yaml': { link: 'loop.yaml' },
      'apps/self': { link: '.' },
      'apps/up': { link: '..' },
    })
    const scan = scanRepository(root, 'apps')
    expect(scan.runError).toBeUndefined()
    expect(scan.unread).toEqual([])
    expect(scan.files.map((f) => f.path)).toEqual(['a.yaml'])
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([
      ['self/a.yaml', 'FIA324'],
      ['up/apps/a.yaml', 'FIA324'],
    ])
  })

  it('fails the run as Flux does when update.path is a symlink loop', () => {
    const root = writeTree({ 'a.yaml': `image: x:1 ${M}\n`, 'ping': { link: 'pong' }, 'pong': { link: 'ping' } })
    const scan = scanRepository(root, 'ping')
    expect(scan.runError).toBe(`failed to apply policies: failed to secure join manifest path: SecureJoin ${root}/ping: too many levels of symbolic links`)
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([['a.yaml', 'FIA320']])
  })

  it('never reads .git: not with update.path at the root, not through a symlink, not as update.path', () => {
    const root = writeTree({
      'deploy.yaml': `image: x:1 ${M}\n`,
      '.git/config.yaml': `image: x:1 ${M}\n`,
      '.git/COMMIT_EDITMSG': `image: x:1 ${M}\n`,
      'git': { link: '.git' },
      'config.yaml': { link: '.git/config.yaml' },
    })
    // A pack Flux would never read, which begins with a marker: read, it would be a near miss.
    const pack = join(root, '.git/objects/pack/pack-1.pack')
    mkdirSync(dirname(pack), { recursive: true })
    writeFileSync(pack, `image: x:1 ${M}\n`)
    truncateSync(pack, 300 * 1024 * 1024)
    for (const updatePath of ['', '.git', 'git']) {
      const handed: string[] = []
      const scan = scanRepository(root, updatePath, { onFile: (p) => handed.push(p) })
      const all = [...scan.files, ...scan.skipped, ...scan.unread].map((f) => f.path)
      expect(all.filter((p) => p.includes('.git') || p.startsWith('git/') || p === 'config.yaml'), `update.path ${updatePath}`).toEqual([])
      expect(handed.filter((p) => p.includes('.git') || p.startsWith('git')), `update.path ${updatePath}`).toEqual([])
    }
    expect(scanRepository(root, '').files.map((f) => f.path)).toEqual(['deploy.yaml'])
  })

  it('reads a file Flux reads up to 64 MiB and reports a larger one; screens others up to 4 MiB', () => {
    const root = writeTree({ 'apps/huge.yaml': `image: x:1 ${M}\n`, 'apps/big.yaml': `image: x:1 ${M}\n`, 'apps/big.json': `image: x:1 ${M}\n`, 'big.yaml': `image: x:1 ${M}\n` })
    truncateSync(join(root, 'apps/huge.yaml'), MAX_FLUX_FILE_BYTES + 1)
    truncateSync(join(root, 'apps/big.yaml'), MAX_SCREEN_BYTES + 1) // read whole: Flux reads it
    truncateSync(join(root, 'apps/big.json'), MAX_SCREEN_BYTES + 1) // near-miss screening only
    truncateSync(join(root, 'big.yaml'), MAX_SCREEN_BYTES + 1) // outside update.path: screening only
    const scan = scanRepository(root, 'apps')
    expect(scan.files.map((f) => f.path)).toEqual(['big.yaml'])
    expect(scan.skipped).toEqual([])
    expect(scan.unread).toEqual([{ path: 'huge.yaml', reason: 'too-large', detail: String(MAX_FLUX_FILE_BYTES + 1), fluxReads: true }])
    expect(unreadFindings(scan.unread).map((f) => [f.code, f.severity, f.location, f.message])).toEqual([
      ['FIA327', 'warning', { file: 'huge.yaml' }, 'huge.yaml is 67108865 bytes (64.0 MiB): Flux reads it whole, but flux-imgauto reads at most 64 MiB of a file, so markers in it are not traced'],
    ])
  })
})

describe('a FIFO never hangs a command', () => {
  const TIMEOUT = 15000
  const located = (findings: { code: string; location?: { file: string } }[]): string[][] => findings.filter((f) => f.code === 'FIA326').map((f) => [f.code, f.location?.file ?? ''])

  it('trace and preview finish and report the FIFOs, inside update.path and out', async () => {
    const root = writeTree({ 'apps/a.yaml': `image: x:1 ${M}\n`, 'apps/x.yaml': { fifo: true }, 'apps/to-fifo.yaml': { link: 'x.yaml' }, 'tools/build.pipe': { fifo: true } })
    for (const cmd of ['trace', 'preview']) {
      const r = await runCli([cmd, root, '--policies-file', POLICIES, '--path', 'apps', '--json'], { timeout: TIMEOUT })
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(0)
      const env = JSON.parse(r.stdout)
      expect(located(env.findings)).toEqual([
        ['FIA326', 'x.yaml'],
        ['FIA326', '../tools/build.pipe'],
      ])
      expect(env.findings.find((f: { code: string }) => f.code === 'FIA326')).toMatchObject({ severity: 'info', message: expect.stringContaining('x.yaml is a FIFO') })
    }
  })

  it('lint finishes and reports them', async () => {
    const root = writeTree({ 'apps/a.yaml': 'kind: ConfigMap\n', 'apps/x.yaml': { fifo: true }, 'tools/build.pipe': { fifo: true } })
    const r = await runCli(['lint', root, '--json'], { timeout: TIMEOUT })
    expect(r.code, r.stderr).toBe(0)
    expect(located(JSON.parse(r.stdout).findings)).toEqual([
      ['FIA326', 'apps/x.yaml'],
      ['FIA326', 'tools/build.pipe'],
    ])
  })

  it('doctor --repo finishes and reports them', async () => {
    const repo = writeTree({ 'clusters/prod/app.yaml': 'image: ghcr.io/stefanprodan/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}\n', 'clusters/prod/x.yaml': { fifo: true } })
    const snapshot = join(tempDir(), 'cluster.yaml')
    writeFileSync(snapshot, stringify({ apiVersion: 'v1', kind: 'List', items: scenario('healthy') }))
    const r = await runCli(['doctor', '--snapshot', snapshot, '--repo', repo, '--json'], { timeout: TIMEOUT })
    expect(r.code, r.stderr).not.toBe(-1)
    const markers = JSON.parse(r.stdout).result.checks.find((c: { id: string }) => c.id === 'markers')
    expect(located(markers.findings)).toEqual([['FIA326', 'x.yaml']])
  })
})

// Permission bits do not bind root, so as root the command runs as nobody (setpriv); as any
// other user it runs as is. Without setpriv, as root, there is no way to deny a read.
const UNPRIVILEGED: string[] | undefined = process.getuid?.() !== 0 ? [] : spawnSync('setpriv', ['--version']).status === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined

function runUnprivileged(args: string[]): { code: number; stdout: string; stderr: string } {
  const [cmd, ...pre] = [...(UNPRIVILEGED ?? []), process.execPath, join(ROOT, 'bin/run.js'), ...args] as [string, ...string[]]
  const r = spawnSync(cmd, pre, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' }, timeout: 15000, killSignal: 'SIGKILL' })
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() }
}

describe.skipIf(UNPRIVILEGED === undefined)('what cannot be read is reported as such (run unprivileged)', () => {
  const lockedTree = (): string => {
    const root = writeTree({
      'automation.yaml': 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  update:\n    path: ./apps\n',
      'apps/a.yaml': `image: x:1 ${M}\n`,
      'apps/locked/b.yaml': `image: x:1 ${M}\n`,
      'apps/notes.json': `{} ${M}\n`,
      'apps/peek/c.yaml': `image: x:1 ${M}\n`,
      'apps/secret.yaml': `image: x:1 ${M}\n`,
      'other/d.yaml': `image: x:1 ${M}\n`,
    })
    chmodSync(dirname(root), 0o755)
    chmodSync(join(root, 'apps/locked'), 0o000) // neither listed nor searched
    chmodSync(join(root, 'apps/peek'), 0o444) // listed, not searched
    chmodSync(join(root, 'apps/secret.yaml'), 0o000)
    chmodSync(join(root, 'apps/notes.json'), 0o000)
    chmodSync(join(root, 'other'), 0o000)
    return root
  }
  const unread = (findings: { code: string; location?: { file: string }; message: string }[]): string[][] =>
    findings.filter((f) => ['FIA341', 'FIA344', 'FIA328'].includes(f.code)).map((f) => [f.code, f.location?.file ?? '', f.message])

  it('trace and preview: Flux\'s own run error for what it reads, our skip for the rest', () => {
    const root = lockedTree()
    const apps = join(root, 'apps')
    const want = [
      ['FIA344', 'locked', `failed to apply policies: walking path for files: open ${apps}/locked: permission denied`],
      ['FIA328', 'notes.json', 'notes.json cannot be read here (permission denied), so it is not screened for near misses; Flux does not read it'],
      ['FIA344', 'peek/c.yaml', `failed to apply policies: walking path for files: lstat ${apps}/peek/c.yaml: permission denied`],
      ['FIA344', 'secret.yaml', `failed to apply policies: reading YAML file: open ${apps}/secret.yaml: permission denied`],
      ['FIA328', '../other', '../other cannot be read here (permission denied), so it is not screened for near misses; Flux does not read it'],
    ]
    const trace = runUnprivileged(['trace', root, '--policies-file', POLICIES, '--path', 'apps', '--json'])
    expect(trace.code, trace.stderr).toBe(1)
    expect(unread(JSON.parse(trace.stdout).findings)).toEqual(want)
    const preview = runUnprivileged(['preview', root, '--policies-file', POLICIES, '--path', 'apps', '--json'])
    const env = JSON.parse(preview.stdout)
    expect(env.result.runError).toBe(want[0]?.[2]) // Flux stops at the first, in lexical order
    expect(env.result.files).toEqual([])
  })

  it('an update.path under a directory that cannot be searched is no missing update.path', () => {
    const root = lockedTree()
    const r = runUnprivileged(['trace', root, '--policies-file', POLICIES, '--path', 'apps/locked/sub', '--json'])
    expect(unread(JSON.parse(r.stdout).findings)[0]).toEqual(['FIA344', 'apps/locked/sub', `failed to apply policies: failed to secure join manifest path: lstat ${root}//apps/locked/sub: permission denied`])
  })

  it('lint: Flux\'s failure only under an automation\'s update.path', () => {
    const root = lockedTree()
    const r = runUnprivileged(['lint', root, '--json'])
    expect(unread(JSON.parse(r.stdout).findings).map(([code, file]) => [code, file])).toEqual([
      ['FIA344', 'apps/locked'],
      ['FIA328', 'apps/notes.json'],
      ['FIA344', 'apps/peek/c.yaml'],
      ['FIA344', 'apps/secret.yaml'],
      ['FIA328', 'other'],
    ])
  })
})

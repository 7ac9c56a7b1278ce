// scaffold's I/O around the pure generator: the spec from --from and flags, the files for
// --out, the edits for --insert (all checked before anything is written).

import { dirname, join, normalize, relative, resolve, sep } from 'node:path'
import { readText } from '../adapters/manifests.js'
import { type FileWrite, inside, writeAll } from '../adapters/write-files.js'
import { finding } from '../core/findings/catalogue.js'
import type { Finding } from '../core/findings/types.js'
import { replayPolicy } from '../core/policy/replay.js'
import type { ImagePolicySpec } from '../core/policy/types.js'
import { lintObjects } from '../core/lint/rules.js'
import type { LintObject } from '../core/lint/types.js'
import { type Generated, generate, policyName } from '../core/scaffold/generate.js'
import { type Insertion, insertMarkers } from '../core/scaffold/insert.js'
import { completeSpec, type EnvironmentSpec, type MarkerLocation, type Scaffold, type ScaffoldSpec, type TagScheme } from '../core/scaffold/spec.js'
import { CodedError } from '../core/tool-error.js'
import { documentError, parseYaml, toPlain } from '../core/yaml/read.js'

export interface ScaffoldFlags {
  from?: string
  image?: string
  name?: string
  namespace?: string
  provider?: string
  'secret-ref'?: string
  anonymous?: boolean
  'cert-secret-ref'?: string
  interval?: string
  'git-repository'?: string
  branch?: string
  version?: string
  'tag-branch'?: string
  env?: string[]
  marker?: string[]
  digest?: boolean
  'author-name'?: string
  'author-email'?: string
  out?: string
  insert?: string[]
}

export interface ScaffoldRun {
  scaffold: Scaffold
  generated: Generated
  /** Lint's verdict on the generated objects (empty unless a flag asked for something unsafe). */
  findings: Finding[]
  written: string[]
  inserted: (Insertion & { file: string; environment: string })[]
  /** Markers --insert found already in place. */
  present: (Insertion & { file: string; environment: string })[]
}

export async function specFrom(flags: ScaffoldFlags): Promise<ScaffoldSpec> {
  let spec: Partial<ScaffoldSpec> = {}
  if (flags.from !== undefined) {
    const text = await readText(flags.from)
    const docs = parseYaml(text, { source: flags.from })
    for (const d of docs) {
      const err = documentError(d, flags.from)
      if (err) throw err
    }
    if (docs.length > 1) throw new CodedError('ERR_YAML', `${flags.from}: ${docs.length} YAML documents; the spec is one`)
    const value = docs[0] ? toPlain(docs[0], flags.from) : null
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CodedError('ERR_SCAFFOLD_SPEC', `${flags.from} must hold a mapping (image:, environments:, …)`)
    spec = value as Partial<ScaffoldSpec>
  }
  const set = <K extends keyof ScaffoldSpec>(k: K, v: ScaffoldSpec[K] | undefined): void => {
    if (v !== undefined) spec[k] = v
  }
  set('image', flags.image)
  set('name', flags.name)
  set('namespace', flags.namespace)
  set('provider', flags.provider as ScaffoldSpec['provider'])
  set('secretRef', flags.anonymous ? null : flags['secret-ref'])
  set('certSecretRef', flags['cert-secret-ref'])
  set('interval', flags.interval)
  set('gitRepository', flags['git-repository'])
  set('branch', flags.branch)
  set('version', flags.version)
  set('tagBranch', flags['tag-branch'])
  set('digest', flags.digest)
  if (flags.marker) spec.markers = flags.marker as MarkerLocation[]
  if (flags['author-name'] !== undefined || flags['author-email'] !== undefined) spec.author = { ...spec.author, ...(flags['author-name'] !== undefined ? { name: flags['author-name'] } : {}), ...(flags['author-email'] !== undefined ? { email: flags['author-email'] } : {}) }
  if (flags.env) {
    spec.environments = flags.env.map((e): EnvironmentSpec => {
      const [name, tags] = e.split('=') as [string, string | undefined]
      return { name, ...(tags ? { tags: tags as TagScheme } : {}) }
    })
  }
  return spec as ScaffoldSpec
}

export async function runScaffold(flags: ScaffoldFlags): Promise<ScaffoldRun> {
  const scaffold = completeSpec(await specFrom(flags))
  const generated = generate(scaffold)
  const run: ScaffoldRun = { scaffold, generated, findings: lintGenerated(generated), written: [], inserted: [], present: [] }
  // Every edit is computed and checked first; then all files are written, or none.
  const writes: FileWrite[] = []
  const seen = new Set<string>()
  for (const spec of flags.insert ?? []) {
    const { environment, file } = insertTarget(spec, scaffold)
    if (seen.has(resolve(file))) throw new CodedError('ERR_USAGE', `--insert names ${file} twice; a field takes one marker`)
    seen.add(resolve(file))
    const env = scaffold.environments.find((e) => e.name === environment)
    if (!env) throw new CodedError('ERR_USAGE', `--insert ${spec}: there is no environment ${environment} (${scaffold.environments.map((e) => e.name).join(', ')})`)
    const text = await readText(file)
    const outcome = insertMarkers(text, scaffold.image, `${scaffold.namespace}:${policyName(scaffold, env)}`, scaffold.digest, file)
    if (!outcome.ok) throw new CodedError('ERR_INSERT', `${file}: ${outcome.reason}; nothing was written`)
    if (outcome.inserted.length > 0) writes.push({ path: file, content: outcome.text, within: insertBounds(file), existing: { text } })
    for (const i of outcome.inserted) run.inserted.push({ ...i, file, environment })
    for (const i of outcome.present) run.present.push({ ...i, file, environment })
    for (const f of outOfPolicy(generated, policyName(scaffold, env), file, [...outcome.inserted, ...outcome.present])) run.findings.push(f)
  }
  const out = flags.out
  const created: FileWrite[] = out === undefined ? [] : generated.files.map((f) => ({ path: join(out, f.path), content: f.content, within: out, existing: 'absent' }))
  writeAll([...created, ...writes])
  run.written = [...created.map((f) => f.path), ...writes.map((w) => w.path)]
  return run
}

/**
 * The directory an --insert file's real path must lie in, so that a symlink in a cloned
 * repository cannot make scaffold edit a file elsewhere (~/.bashrc, another checkout): the
 * current directory, which scaffold takes as the repository root (update.path is relative
 * to it), when the file is under it; else the file's own directory. A symlink to a shared
 * base inside the repository is followed, and its target is what gets marked.
 */
function insertBounds(file: string): string {
  const abs = resolve(file)
  return inside(abs, process.cwd()) ? process.cwd() : dirname(abs)
}

/** ENV=FILE, or FILE under exactly one environment's update.path (relative to here). */
function insertTarget(spec: string, s: Scaffold): { environment: string; file: string } {
  const eq = spec.indexOf('=')
  if (eq > 0 && s.environments.some((e) => e.name === spec.slice(0, eq))) return { environment: spec.slice(0, eq), file: spec.slice(eq + 1) }
  const rel = relative(process.cwd(), resolve(spec)).split(sep).join('/')
  const owners = s.environments.filter((e) => {
    const path = normalize(e.path).split(sep).join('/').replace(/\/$/, '')
    const base = path === '.' ? '' : path
    return base === '' || rel === base || rel.startsWith(base + '/')
  })
  if (owners.length !== 1) throw new CodedError('ERR_USAGE', `--insert ${spec}: ${owners.length === 0 ? 'the file is under no environment\'s update.path' : `the file is under the paths of ${owners.map((e) => e.name).join(' and ')}`}; write --insert ENV=${spec}`)
  return { environment: (owners[0] as { name: string }).name, file: spec }
}

function lintGenerated(g: Generated): Finding[] {
  const objects = g.objects as { apiVersion: string; kind: LintObject['kind']; metadata: { name: string; namespace: string; labels?: Record<string, string> }; spec: Record<string, unknown> }[]
  return lintObjects(objects.map((o) => ({ file: '(generated)', line: 1, apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels ?? {}, spec: o.spec })))
}

/**
 * FIA348: a marked field whose tag the environment's policy cannot select. Flux writes the
 * policy's pick over it on the next run (from a tag outside the range, that can be a
 * downgrade), and never writes this tag back.
 */
function outOfPolicy(g: Generated, name: string, file: string, marked: readonly Insertion[]): Finding[] {
  const objects = g.objects as { kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> }[]
  const policy = objects.find((o) => o.kind === 'ImagePolicy' && o.metadata.name === name)
  if (!policy) return []
  const spec = policy.spec as ImagePolicySpec
  const out: Finding[] = []
  for (const m of marked) {
    if (m.tag === undefined) continue
    const replayed = replayPolicy({ spec, tags: [m.tag] })
    if (replayed.latest === m.tag) continue
    const rule = spec.policy?.semver ? `semver range ${spec.policy.semver.range}` : spec.filterTags?.pattern ? `filterTags.pattern ${spec.filterTags.pattern}` : 'its rule'
    const f = finding('FIA348', `${m.field} holds tag ${m.tag}, which ImagePolicy ${policy.metadata.namespace}/${name} (${rule}) can never select: the next run replaces it with the policy's pick, whatever that is, and never writes ${m.tag} again.`, { subject: { kind: 'ImagePolicy', namespace: policy.metadata.namespace, name } })
    f.location = { file, line: m.line }
    out.push(f)
  }
  return out
}

// A seeded generator of malformed input, one family per kind of thing users hand the CLI:
// YAML objects, marker comments, regexes and ranges, flux get output, kubeconfigs, scaffold
// specs, and flags. The same seed gives the same cases, so a failure is replayed with
// FIA_FUZZ_SEED=<seed> (npm run fuzz -- --seed <seed>).

import { readFileSync } from 'node:fs'
import { parseAllDocuments, stringify } from 'yaml'

export type Family = 'yaml-objects' | 'markers' | 'regex-range' | 'flux-get' | 'kubeconfig' | 'scaffold-spec' | 'flags'
export const FAMILIES: readonly Family[] = ['yaml-objects', 'markers', 'regex-range', 'flux-get', 'kubeconfig', 'scaffold-spec', 'flags']

export interface FuzzCase {
  family: Family
  /** Arguments; `{dir}` stands for the case's temporary directory. */
  args: string[]
  /** Files to write under the temporary directory first (relative path → content). */
  files: Record<string, string>
}

/** mulberry32: small, fast, and the same in every Node. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
const int = (r: Rand, n: number): number => Math.floor(r() * n)

const read = (f: string): string => readFileSync(f, 'utf8')
const POLICY_FILE = read('fixtures/policies/podinfo-semver.yaml')
const TAGS = read('fixtures/policies/podinfo-tags.txt')
const HEALTHY = read('fixtures/doctor/healthy.yaml')
const CLUSTER = read('fixtures/cluster/automation.yaml')
const FLUX = ['fixtures/flux/get-image-all-A.txt', 'fixtures/flux/get-image-all-flux-2.6.txt', 'fixtures/flux/get-image-all-forbidden.txt'].map(read)

// Values of every type, and the strings that trip parsers.
const ODD_STRINGS = ['', ' ', '\t', '\u0000', '\uFFFD', '😀', 'a'.repeat(3000), '${x}', '{{ .x }}', '%s%n', '../../etc/passwd', '-', '--json', '0x1F', '1e400', '.inf', '~', 'null', 'true', 'NaN', '\\', '"', "'", '\n---\n']
function oddValue(r: Rand): unknown {
  switch (int(r, 9)) {
    case 0: return int(r, 2) === 0 ? int(r, 1e6) - 5e5 : r() * 1e308
    case 1: return pick(r, [true, false])
    case 2: return null
    case 3: return []
    case 4: return [pick(r, ODD_STRINGS), int(r, 9)]
    case 5: return {}
    case 6: return { [pick(r, ['a', 'name', 'kind', '0'])]: pick(r, ODD_STRINGS) }
    default: return pick(r, ODD_STRINGS)
  }
}

// Text-level damage to YAML, including what the parser must refuse.
const YAML_TOKENS = ['&a ', '*a', '*nope', '<<: *a\n', ': ', '- ', '{', '}', '[', ']', "'", '"', '\t', '!!binary ', '!!int ', '? ', '---\n', '...\n', '%YAML 1.1\n', '#', '|', '>', '\u0000', '😀', '\r']
function damageText(r: Rand, text: string): string {
  let t = text
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const at = int(r, t.length + 1)
    switch (int(r, 5)) {
      case 0: t = t.slice(0, at) + pick(r, YAML_TOKENS) + t.slice(at); break
      case 1: t = t.slice(0, at) + t.slice(at + 1 + int(r, 20)); break
      case 2: t = t.slice(0, at); break
      case 3: {
        const lines = t.split('\n')
        const i = int(r, lines.length)
        lines.splice(i, 0, lines[i] ?? '')
        t = lines.join('\n')
        break
      }
      default: t = t.replace(/^( +)/m, (s) => (int(r, 2) === 0 ? s + ' ' : s.slice(1)))
    }
  }
  return t
}

// Object-level damage: a value of the wrong type at a random path of a random document.
function damageObjects(r: Rand, text: string): string {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined)
  for (let n = 1 + int(r, 2); n > 0; n--) {
    const doc = pick(r, docs)
    const paths: (string | number)[][] = []
    const walk = (v: unknown, at: (string | number)[]): void => {
      paths.push(at)
      if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, Array.isArray(v) ? Number(k) : k])
    }
    walk(doc, [])
    // Mostly the fields the commands read (spec, status), where a wrong type did crash them.
    const read = paths.filter((p) => p[0] === 'spec' || p[0] === 'status' || p[0] === 'items')
    const path = pick(r, read.length > 0 && int(r, 4) > 0 ? read : paths.slice(1))
    if (!path) continue
    let parent = doc as Record<string | number, unknown>
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
    parent[path[path.length - 1] as string | number] = oddValue(r)
  }
  return docs.map((d) => stringify(d)).join('---\n')
}

const ALIAS_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n'

function yamlInput(r: Rand, text: string): string {
  const k = int(r, 10)
  if (k < 4) return damageObjects(r, text)
  if (k < 9) return damageText(r, text)
  return text.replace(/^(kind: \w+)$/m, `$1\nbomb: ${int(r, 2) === 0 ? '*undefined_anchor' : '\n' + ALIAS_BOMB.replace(/^/gm, '  ')}`)
}

function yamlObjects(r: Rand): FuzzCase {
  const which = int(r, 5)
  if (which === 0) return { family: 'yaml-objects', args: ['explain', 'policy', '--file', '{dir}/p.yaml', '--tags-file', '{dir}/tags.txt'], files: { 'p.yaml': yamlInput(r, POLICY_FILE), 'tags.txt': TAGS } }
  if (which === 1) return { family: 'yaml-objects', args: ['doctor', '--snapshot', '{dir}/s.yaml', '--now', '2026-11-24T10:00:00Z'], files: { 's.yaml': yamlInput(r, HEALTHY) } }
  if (which === 2) return { family: 'yaml-objects', args: ['lint', '{dir}/tree'], files: { 'tree/image.yaml': yamlInput(r, POLICY_FILE) } }
  if (which === 3) return { family: 'yaml-objects', args: ['trace', '{dir}/tree', '--automation-file', '{dir}/a.yaml', '--policies-file', '{dir}/a.yaml'], files: { 'a.yaml': yamlInput(r, CLUSTER), 'tree/clusters/prod/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n' } }
  return { family: 'yaml-objects', args: ['template', '--automation-file', '{dir}/a.yaml'], files: { 'a.yaml': yamlInput(r, CLUSTER) } }
}

// Marker comments: near misses, odd JSON, odd setter names, several on a line.
const MARKERS = ['{"$imagepolicy": "flux-system:web"}', '{"$imagepolicy": "flux-system:web:tag"}', '{"$imagepolicy": "flux-system:web:name"}', '{"$imagepolicy": "flux-system:web:digest"}', '{"$imagepolicy":"a:b:c:d"}', '{"$imagepolicy": ""}', '{"$imagepolicy": 5}', '{"$imagepolicy": ["x"]}', '{"$imagepolicy": "flux-system:web"', '{"$imagepolicy": "😀:web"}', '{$imagepolicy: flux-system:web}', '{"$imagepolicy": "flux-system:web"} # {"$imagepolicy": "x:y"}', '{"$imagepolicy": "' + 'n'.repeat(2000) + ':web"}', '{"$imagepolicy": "flux-system:web:tag", "$imagepolicy": "flux-system:web:name"}']
const VALUES = ['ghcr.io/shop/web:2.3.0', '2.3.0', 'ghcr.io/shop/web', '', '"quoted:1.0"', "'single:1.0'", '[a, b]', '{a: 1}', '&x ghcr.io/shop/web:1', '*x', '|\n  block', 'ghcr.io/shop/web@sha256:' + 'a'.repeat(64)]
function markers(r: Rand): FuzzCase {
  const lines: string[] = []
  for (let n = 1 + int(r, 6); n > 0; n--) {
    const key = pick(r, ['image', 'tag', 'repository', '- image', '"image"', 'a b', 'x'])
    lines.push(`${' '.repeat(int(r, 3) * 2)}${key}: ${pick(r, VALUES)} # ${pick(r, MARKERS)}`)
  }
  const text = int(r, 3) === 0 ? damageText(r, lines.join('\n')) : lines.join('\n') + '\n'
  const command = pick(r, ['trace', 'preview', 'lint'])
  const files = { 'tree/clusters/prod/web.yaml': text, 'p.yaml': CLUSTER }
  if (command === 'lint') return { family: 'markers', args: ['lint', '{dir}/tree'], files }
  return { family: 'markers', args: [command, '{dir}/tree', '--automation-file', '{dir}/p.yaml', '--policies-file', '{dir}/p.yaml'], files }
}

// Patterns and ranges: what Go's regexp and Masterminds semver refuse, and what costs others dearly.
const PATTERNS = ['^(a+)+$', '(a|a)*b', '(?P<ver>.*', '^v(?P<ver>[0-9]+)$', '\\p{Greek}+', '\\p{greek}', '(?i)^MAIN-', '[z-a]', '(?<x>a)', 'a{1001}', 'a{2,1}', '\\Q.*\\E', '(((((((((a)))))))))', '\\', '(?P<ts>[0-9]+)(?P<ts>x)', '.*'.repeat(200), '\u0000', '[[:alpha:]]+', '\\b\\B', '^$']
const RANGES = ['>=1.0.0 <2.0.0', '1.x || 2.x', '~1', '^0.0.1', '>=', '<=-1', '1.0.0 - ', '=> 1', '*', 'x.x.x', '>=1.0.0-alpha.1', '>= 9' + '9'.repeat(400), Array.from({ length: 400 }, (_, i) => `1.${i}.x`).join(' || '), '1.0.0 ||', '!1.0', '>1 <1', '=1.0.0+build', '1.2.3.4', 'v1', '😀']
function regexRange(r: Rand): FuzzCase {
  const policy = pick(r, [
    `policy: {semver: {range: ${JSON.stringify(pick(r, RANGES))}}}`,
    `policy: {alphabetical: {order: ${pick(r, ['asc', 'desc', 'ASC', 'sideways', '1'])}}}`,
    `policy: {numerical: {order: ${pick(r, ['asc', 'desc', 'up'])}}}`,
  ])
  const filter = int(r, 3) === 0 ? '' : `\n  filterTags: {pattern: ${JSON.stringify(pick(r, PATTERNS))}, extract: ${JSON.stringify(pick(r, ['$ver', '$ts', '$1', '${x}', '', '$$']))}}`
  const tags = Array.from({ length: 1 + int(r, 40) }, () => pick(r, ['1.0.0', 'v2.3.4', 'main-123', 'main-abc-456', '2026.01.02', 'a'.repeat(1 + int(r, 300)), '1.2.3-rc.1+b', '-1', '0x10', '1e9', '', ' ', '😀', 'latest'])).join('\n')
  return {
    family: 'regex-range',
    args: ['explain', 'policy', '--file', '{dir}/p.yaml', '--tags-file', '{dir}/tags.txt', ...(int(r, 2) ? ['--show', pick(r, ['all', 'rejected', 'candidates', 'auto'])] : [])],
    files: { 'p.yaml': `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: r}\n  ${policy}${filter}\n`, 'tags.txt': tags + '\n' },
  }
}

function fluxGet(r: Rand): FuzzCase {
  let text = pick(r, FLUX)
  const k = int(r, 4)
  if (k === 0) text = text.slice(0, int(r, text.length))
  else if (k === 1) text = text.slice(int(r, text.length))
  else if (k === 2) text = text.replace(/\t/g, () => pick(r, ['\t', '  ', '', '\t\t']))
  else text = damageText(r, text)
  return { family: 'flux-get', args: ['doctor', '--flux-output', '{dir}/flux.txt', ...(int(r, 2) ? ['-A'] : ['-n', pick(r, ['flux-system', 'apps', ''])])], files: { 'flux.txt': text } }
}

// Kubeconfigs that cannot be used; the server (when any) refuses at once (port 1).
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}\ncontexts:\n- name: c\n  context: {cluster: c, user: u, namespace: apps}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n'
function kubeconfig(r: Rand): FuzzCase {
  const text = int(r, 2) === 0 ? damageObjects(r, KUBECONFIG) : damageText(r, KUBECONFIG)
  const command = pick(r, [['explain', 'policy', 'podinfo'], ['doctor', '--no-flux'], ['trace', '{dir}', '--automation', 'a']])
  return { family: 'kubeconfig', args: [...command, '--kubeconfig', '{dir}/config', '--request-timeout', '2', ...(int(r, 3) === 0 ? ['--context', pick(r, ['c', 'nope', ''])] : [])], files: { config: text } }
}

const SPEC = 'image: ghcr.io/acme/app\nversion: "1.4"\nenvironments:\n  - name: dev\n    policy: timestamp\n  - name: production\nmarkers: [deployment, helmrelease]\nprovider: generic\ninterval: 5m\nbranch: main\n'
function scaffoldSpec(r: Rand): FuzzCase {
  return { family: 'scaffold-spec', args: ['scaffold', '--from', '{dir}/spec.yaml'], files: { 'spec.yaml': int(r, 2) === 0 ? damageObjects(r, SPEC) : damageText(r, SPEC) } }
}

// Flags: unknown ones, missing and odd values, repeated, exclusive pairs. serve and mcp are
// given only what fails before they would start serving.
const COMMAND_FLAGS: Record<string, string[]> = {
  codes: ['-o', '--output'],
  doctor: ['--snapshot', '--flux-output', '-A', '--flux-version', '--now', '-o', '--request-timeout', '--namespace', '--repo', '--context'],
  'explain policy': ['--file', '--tags-file', '--show', '--limit', '--top', '-o', '--no-registry', '--repository-file'],
  lint: ['--flux-version', '-o', '--namespace'],
  preview: ['--out', '--path', '--policies-file', '--automation-file', '-o'],
  scaffold: ['--image', '--version', '--env', '--marker', '--provider', '--interval', '--anonymous', '--secret-ref', '--insert', '--out'],
  template: ['--template', '--changes', '--automation-file'],
  trace: ['--path', '--policies-file', '-o', '--automation-file'],
  completion: [],
}
const FLAG_VALUES = ['', '-', 'json', 'x', '0', '-1', '99999999999999999999', '2026-13-45', 'v2.99', '/dev/null', '/proc/self/status', '/nonexistent', '{dir}', '{dir}/nope', '--json', '😀', 'a=b=c', 'ghcr.io/acme/app:1.0', '>=1', '.*']
function flags(r: Rand): FuzzCase {
  const command = pick(r, [...Object.keys(COMMAND_FLAGS), 'serve', 'mcp', 'nope', 'explain nope'])
  const args = command.split(' ')
  if (command === 'serve' || command === 'mcp') {
    args.push(...pick(r, [['--bogus'], ['--request-timeout', 'x'], ['--request-timeout', '0'], ['extra'], [command === 'serve' ? '--listen' : '--context']]))
    return { family: 'flags', args, files: {} }
  }
  const known = COMMAND_FLAGS[command] ?? []
  // The tree commands read {dir}, not the directory the tests run in.
  if (command === 'trace' || command === 'preview' || command === 'lint') args.push('{dir}')
  for (let n = int(r, 4); n >= 0; n--) {
    const k = int(r, 6)
    if (k === 0) args.push(`--${pick(r, ['bogus', 'jsonx', 'fail-on', 'no-flux', 'n'])}`)
    else if (k === 1) args.push(pick(r, FLAG_VALUES))
    else if (known.length > 0) args.push(pick(r, known), ...(int(r, 4) === 0 ? [] : [pick(r, FLAG_VALUES)]))
  }
  if (command === 'completion') args.push(pick(r, ['bash', 'zsh', 'fish', 'tcsh', '']))
  return { family: 'flags', args, files: {} }
}

const MAKERS: Record<Family, (r: Rand) => FuzzCase> = {
  'yaml-objects': yamlObjects,
  markers,
  'regex-range': regexRange,
  'flux-get': fluxGet,
  kubeconfig,
  'scaffold-spec': scaffoldSpec,
  flags,
}

/** `count` cases from `seed`, the families in turn; about a third ask for JSON. */
export function generate(seed: number, count: number): FuzzCase[] {
  const r = rng(seed)
  return Array.from({ length: count }, (_, i) => {
    const c = MAKERS[FAMILIES[i % FAMILIES.length] as Family](r)
    const json = int(r, 3)
    const output = pick(r, [['-o', 'json'], ['-ojson'], ['--output=json']])
    const args = json === 0 ? [...c.args, '--json'] : json === 1 && c.family !== 'flags' && c.args[0] !== 'template' && c.args[0] !== 'scaffold' ? [...c.args, ...output] : c.args
    return { ...c, args }
  })
}

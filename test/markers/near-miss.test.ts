// Every near miss the issue names, with the status and reason code Flux's behaviour implies.

import { describe, expect, it } from 'vitest'
import type { PolicyLike } from '../../src/core/markers/setters.js'
import { traceMarkers } from '../../src/core/markers/trace.js'

const NS = 'flux-system'
const policies: PolicyLike[] = [
  { metadata: { name: 'app', namespace: NS, labels: { env: 'prod' } }, status: { latestRef: { name: 'ghcr.io/org/app', tag: '1.2.0' } } },
  { metadata: { name: 'fresh', namespace: NS, labels: { env: 'prod' } }, status: {} },
  { metadata: { name: 'staging', namespace: NS, labels: { env: 'staging' } }, status: { latestRef: { name: 'ghcr.io/org/app', tag: '1.3.0-rc.1' } } },
  { metadata: { name: 'app', namespace: 'apps' }, status: { latestRef: { name: 'ghcr.io/org/app', tag: '9.9.9' } } },
]
const selector = { matchLabels: { env: 'prod' } }

function trace(yaml: string, opts: { namespace?: string; pols?: PolicyLike[] } = {}) {
  return traceMarkers({ namespace: opts.namespace ?? NS, policySelector: selector }, opts.pols ?? policies, { files: [{ path: 'f.yaml', text: yaml }], skipped: [] })
}

interface Case {
  name: string
  yaml: string
  status: 'update' | 'current' | 'ignored'
  code?: string
  next?: string
  line?: number
  warnings?: string[]
}

const M = '{"$imagepolicy": "flux-system:app"}'
const cases: Case[] = [
  { name: 'the documented form', yaml: `image: ghcr.io/org/app:1.0.0 # ${M}\n`, status: 'update', next: 'ghcr.io/org/app:1.2.0' },
  { name: 'already the value Flux would write', yaml: `image: ghcr.io/org/app:1.2.0 # ${M}\n`, status: 'current' },
  { name: 'no space after #, extra spaces inside', yaml: 'image: ghcr.io/org/app:1 #{ "$imagepolicy" : "flux-system:app" }\n', status: 'update' },
  { name: 'several leading #', yaml: `image: ghcr.io/org/app:1 ### ${M}\n`, status: 'update' },
  { name: 'extra string keys are tolerated', yaml: 'image: ghcr.io/org/app:1 # {"$imagepolicy": "flux-system:app", "note": "prod"}\n', status: 'update' },
  { name: 'a head comment above a sequence item', yaml: `args:\n# ${M}\n- ghcr.io/org/app:1.0.0\n`, status: 'update', line: 3 },
  // yaml.v3 gives a comment after ']' to the sequence (node_test.go: "[la, lb] # I" is the
  // SequenceNode's LineComment), and the setters read scalars only.
  { name: 'after a one-line flow sequence, the comment is the sequence\'s', yaml: `args: ["--image=x:1"] # ${M}\n`, status: 'ignored', code: 'FIA316' },
  { name: 'single quotes', yaml: "image: x:1 # {'$imagepolicy': 'flux-system:app'}\n", status: 'ignored', code: 'FIA309' },
  { name: 'trailing text after the JSON', yaml: `image: x:1 # ${M} bump me\n`, status: 'ignored', code: 'FIA310' },
  { name: 'a second # after a space', yaml: `image: x:1 # # ${M}\n`, status: 'ignored', code: 'FIA311' },
  { name: 'a non-string JSON value', yaml: 'image: x:1 # {"$imagepolicy": "flux-system:app", "v": 2}\n', status: 'ignored', code: 'FIA312' },
  { name: 'the key in the wrong case', yaml: 'image: x:1 # {"$imagePolicy": "flux-system:app"}\n', status: 'ignored', code: 'FIA313' },
  { name: 'a multi-line head comment', yaml: `args:\n# the app image\n# ${M}\n- x:1\n`, status: 'ignored', code: 'FIA314' },
  { name: 'an ordinary line comment hides the marker above', yaml: `args:\n# ${M}\n- x:1 # pinned\n`, status: 'ignored', code: 'FIA315' },
  { name: 'after a flow mapping', yaml: `image: {} # ${M}\n`, status: 'ignored', code: 'FIA316' },
  // A blank line does not detach a head comment: yaml.v3 keeps it, ending in "\n" (node_test.go:
  // "- # HA1\n\n  - la" gives la the HeadComment "# HA1\n"), and Flux's JSON reading ignores it.
  { name: 'separated from the item by a blank line, still its head comment', yaml: `args:\n# ${M}\n\n- ghcr.io/org/app:1.0.0\n`, status: 'update', next: 'ghcr.io/org/app:1.2.0' },
  { name: 'at the end of the file, a foot comment', yaml: `image: x:1\n\n# ${M}\n`, status: 'ignored', code: 'FIA317' },
  { name: 'on the key line, value below', yaml: `image: # ${M}\n  x:1\n`, status: 'ignored', code: 'FIA307' },
  { name: 'on a key with no value', yaml: `tag: # ${M}\n`, status: 'ignored', code: 'FIA307' },
  { name: 'above a mapping key', yaml: `spec:\n  # ${M}\n  image: x:1\n`, status: 'ignored', code: 'FIA308' },
  { name: 'no namespace', yaml: 'image: x:1 # {"$imagepolicy": "app"}\n', status: 'ignored', code: 'FIA301' },
  { name: 'a slash for the separator', yaml: 'image: x:1 # {"$imagepolicy": "flux-system/app"}\n', status: 'ignored', code: 'FIA301' },
  { name: 'white space in the setter', yaml: 'image: x:1 # {"$imagepolicy": " flux-system:app"}\n', status: 'ignored', code: 'FIA301' },
  { name: 'another namespace', yaml: 'image: x:1 # {"$imagepolicy": "apps:app"}\n', status: 'ignored', code: 'FIA302' },
  { name: 'an unknown suffix', yaml: 'newTag: v1 # {"$imagepolicy": "flux-system:app:newTag"}\n', status: 'ignored', code: 'FIA303' },
  { name: 'a policy that does not exist', yaml: 'image: x:1 # {"$imagepolicy": "flux-system:nope"}\n', status: 'ignored', code: 'FIA304' },
  { name: 'a policy the selector excludes', yaml: 'image: x:1 # {"$imagepolicy": "flux-system:staging"}\n', status: 'ignored', code: 'FIA305' },
  { name: 'a policy with no latestRef', yaml: 'image: x:1 # {"$imagepolicy": "flux-system:fresh"}\n', status: 'ignored', code: 'FIA306' },
  { name: 'a kind: List file', yaml: `apiVersion: v1\nkind: List\nitems:\n- kind: Deployment\n  spec:\n    image: ghcr.io/org/app:1 # ${M}\n`, status: 'update', warnings: ['FIA323'], next: 'ghcr.io/org/app:1.2.0' },
  // The yaml package wants a flow collection indented under its key; yaml.v3 does not check.
  { name: 'a flow sequence at column 0, marker on a member', yaml: `args: [\n"ghcr.io/org/app:1.0.0", # ${M}\n]\n`, status: 'update', next: 'ghcr.io/org/app:1.2.0', line: 2 },
  { name: 'a flow mapping at column 0, marker on a member', yaml: `spec: {\nimage: ghcr.io/org/app:1.0.0, # ${M}\n}\n`, status: 'update', next: 'ghcr.io/org/app:1.2.0', line: 2 },
  { name: 'a file that does not parse', yaml: `image: x:1 # ${M}\n  bad: [\n`, status: 'ignored', code: 'FIA322' },
  { name: 'a Helm template that does not parse', yaml: `{{- if .Values.on }}\nimage: x:1 # ${M}\n{{- end }}\n`, status: 'ignored', code: 'FIA322' },
  { name: 'a top-level sequence', yaml: `- image: x:1 # ${M}\n`, status: 'ignored', code: 'FIA322' },
  { name: 'a full setter on newTag', yaml: `newTag: v1 # ${M}\n`, status: 'update', warnings: ['FIA330'], next: 'ghcr.io/org/app:1.2.0' },
  { name: 'a :tag setter on image', yaml: 'image: x:1 # {"$imagepolicy": "flux-system:app:tag"}\n', status: 'update', warnings: ['FIA331'], next: '1.2.0' },
  { name: 'a :digest setter with no digest', yaml: 'digest: sha256:abc # {"$imagepolicy": "flux-system:app:digest"}\n', status: 'update', warnings: ['FIA332'], next: '' },
]

describe('trace near misses', () => {
  it.each(cases)('$name', (c) => {
    const entries = trace(c.yaml).entries
    expect(entries.length, JSON.stringify(entries)).toBeGreaterThan(0)
    const e = entries.find((x) => (c.code ? x.reason?.code === c.code : x.status === c.status)) ?? entries[0]
    expect(e?.status).toBe(c.status)
    expect(e?.reason?.code).toBe(c.code)
    if (c.next !== undefined) expect(e?.next).toBe(c.next)
    if (c.line !== undefined) expect(e?.line).toBe(c.line)
    expect(e?.warnings.map((w) => w.code)).toEqual(c.warnings ?? [])
  })

  it('"app:tag" is the full setter of a policy named tag when the automation lives in app', () => {
    const pols: PolicyLike[] = [{ metadata: { name: 'tag', namespace: 'app' }, status: { latestRef: { name: 'r', tag: '2' } } }]
    const e = traceMarkers({ namespace: 'app' }, pols, { files: [{ path: 'f.yaml', text: 'image: r:1 # {"$imagepolicy": "app:tag"}\n' }], skipped: [] }).entries[0]
    expect(e).toMatchObject({ status: 'update', setter: 'app:tag', next: 'r:2' })
  })

  it('reports the object and the field of each marker', () => {
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: x:1 # ${M}\n`
    const e = trace(yaml).entries[0]
    expect(e).toMatchObject({ line: 11, column: 16, object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, field: 'spec.template.spec.containers[0].image' })
  })

  it('an invalid latestRef fails the whole run, whichever marker uses it', () => {
    const bad: PolicyLike[] = [...policies, { metadata: { name: 'upper', namespace: NS, labels: { env: 'prod' } }, status: { latestRef: { name: 'GHCR.io/Org/App', tag: '1' } } }]
    expect(trace(`image: x:1 # ${M}\n`, { pols: bad }).setters.error).toEqual({ code: 'FIA340', message: 'failed to apply policies: encountered invalid image ref "GHCR.io/Org/App:1": could not parse reference: GHCR.io/Org/App:1' })
  })

  it('an invalid policySelector is reported as Flux words it', () => {
    const t = traceMarkers({ namespace: NS, policySelector: { matchExpressions: [{ key: 'env', operator: 'Near', values: ['x'] }] } }, policies, { files: [], skipped: [] })
    expect(t.setters.error).toEqual({ code: 'FIA342', message: 'failed to parse policy selector: "Near" is not a valid label selector operator' })
  })
})

describe('prose and code are no near misses', () => {
  it.each([
    ['# ImagePolicy for podinfo: we use $imagepolicy markers in apps/\napiVersion: v1\nkind: ConfigMap\n'],
    ['metadata:\n  name: podinfo # the imagepolicy of this app\n'],
    ['# see https://fluxcd.io/flux/guides/image-update/ for $imagepolicy\nimage: ghcr.io/org/app:1.0.0\n'],
  ])('%j', (yaml) => {
    expect(trace(yaml).entries).toEqual([])
  })

  it('still reports attempts without the braces or with the wrong quotes', () => {
    expect(trace('image: ghcr.io/org/app:1 # $imagepolicy: flux-system:app\n').entries.map((e) => e.reason?.code)).toEqual(['FIA310'])
    expect(trace("image: ghcr.io/org/app:1 # {'$imagepolicy': 'flux-system:app'}\n").entries.map((e) => e.reason?.code)).toEqual(['FIA309'])
  })
})

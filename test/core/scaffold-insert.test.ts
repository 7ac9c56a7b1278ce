// --insert's edit, as a pure function: one appended comment per field that holds the image.

import { describe, expect, it } from 'vitest'
import { insertMarkers } from '../../src/core/scaffold/insert.js'

const IMAGE = 'ghcr.io/acme/app'
const M = (s: string): string => ` # {"$imagepolicy": "${s}"}`

describe('insertMarkers', () => {
  it('keeps CRLF line ends and every other byte', () => {
    const text = 'spec:\r\n  containers:\r\n    - image: ghcr.io/acme/app:1.0\r\n      name: app\r\n'
    const r = insertMarkers(text, IMAGE, 'flux-system:app', false)
    expect(r).toEqual({ ok: true, text: text.replace('app:1.0\r', `app:1.0${M('flux-system:app')}\r`), inserted: [{ line: 3, field: 'spec.containers[0].image', setter: 'flux-system:app' }], present: [] })
  })

  it('marks an image pinned by digest, and leaves other images and keys alone', () => {
    const text = `image: ${IMAGE}:1.0@sha256:${'a'.repeat(64)}\nsidecarImage: ghcr.io/acme/app-proxy:1.0\nimage_note: ${IMAGE}\n`
    const r = insertMarkers(text, IMAGE, 'ns:app', false)
    expect(r.ok && r.inserted.map((i) => i.field)).toEqual(['image'])
  })

  it('reports markers already in place instead of adding them twice', () => {
    const text = `image: ${IMAGE}:1.0${M('ns:app')}\n`
    expect(insertMarkers(text, IMAGE, 'ns:app', false)).toEqual({ ok: true, text, inserted: [], present: [{ line: 1, field: 'image', setter: 'ns:app' }] })
  })

  it('refuses a value that shares its line with other nodes (flow style)', () => {
    const r = insertMarkers(`image: {repository: ${IMAGE}, tag: "1.0"}\n`, IMAGE, 'ns:app', false)
    expect(r).toEqual({ ok: false, reason: 'line 1 (image.repository) holds more than the value; put # {"$imagepolicy": "ns:app:name"} after the value by hand' })
  })

  it('marks the digest of Helm values only when digests are reflected', () => {
    const text = `image:\n  repository: ${IMAGE}\n  tag: "1.0"\n  digest: ""\n`
    const without = insertMarkers(text, IMAGE, 'ns:app', false)
    const withDigest = insertMarkers(text, IMAGE, 'ns:app', true)
    expect(without.ok && without.inserted.map((i) => i.setter)).toEqual(['ns:app:name', 'ns:app:tag'])
    expect(withDigest.ok && withDigest.inserted.map((i) => i.setter)).toEqual(['ns:app:name', 'ns:app:tag', 'ns:app:digest'])
  })

  it('says why a file that does not parse cannot be marked', () => {
    expect(insertMarkers('image: [\n', IMAGE, 'ns:app', false)).toMatchObject({ ok: false, reason: expect.stringMatching(/^it does not parse: /) })
  })
})

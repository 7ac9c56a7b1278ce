// --insert's edit, as a pure function: one appended comment per field that holds the image.

import { describe, expect, it } from 'vitest'
import { insertMarkers } from '../../src/core/scaffold/insert.js'

const IMAGE = 'ghcr.io/acme/app'
const M = (s: string): string => ` # {"$imagepolicy": "${s}"}`

describe('insertMarkers', () => {
  it('keeps CRLF line ends and every other byte', () => {
    const text = 'spec:\r\n  containers:\r\n    - image: ghcr.io/acme/app:1.0\r\n      name: app\r\n'
    const r = insertMarkers(text, IMAGE, 'flux-system:app', false)
    expect(r).toEqual({ ok: true, text: text.replace('app:1.0\r', `app:1.0${M('flux-system:app')}\r`), inserted: [{ line: 3, field: 'spec.containers[0].image', setter: 'flux-system:app', tag: '1.0' }], present: [] })
  })

  it('marks an image pinned by digest, and leaves other images and keys alone', () => {
    const text = `image: ${IMAGE}:1.0@sha256:${'a'.repeat(64)}\nsidecarImage: ghcr.io/acme/app-proxy:1.0\nimage_note: ${IMAGE}\n`
    const r = insertMarkers(text, IMAGE, 'ns:app', false)
    expect(r.ok && r.inserted.map((i) => i.field)).toEqual(['image'])
  })

  it('reports markers already in place instead of adding them twice', () => {
    const text = `image: ${IMAGE}:1.0${M('ns:app')}\n`
    expect(insertMarkers(text, IMAGE, 'ns:app', false)).toEqual({ ok: true, text, inserted: [], present: [{ line: 1, field: 'image', setter: 'ns:app', tag: '1.0' }] })
  })

  it('matches names as go-containerregistry reads them: docker.io, index.docker.io and library/ are Docker Hub', () => {
    const marked = (text: string, image: string): string[] | false => {
      const r = insertMarkers(text, image, 'ns:app', false)
      return r.ok && r.inserted.map((i) => `${i.line} ${i.setter} ${i.tag ?? '-'}`)
    }
    const hub = 'a: {}\nimage: docker.io/acme/app:1.0\nb:\n  image: index.docker.io/acme/app:1.1\nc:\n  image: acme/app\n'
    expect(marked(hub, 'acme/app')).toEqual(['2 ns:app 1.0', '4 ns:app 1.1', '6 ns:app -'])
    expect(marked(hub, 'docker.io/acme/app')).toEqual(['2 ns:app 1.0', '4 ns:app 1.1', '6 ns:app -'])
    expect(marked('image: nginx:1.25\nsidecarImage: docker.io/library/nginx:1.24\n', 'docker.io/library/nginx')).toEqual(['1 ns:app 1.25', '2 ns:app 1.24'])
    expect(marked('images:\n  - name: web\n    newName: docker.io/acme/app\n    newTag: 2.0.0\n', 'acme/app')).toEqual(['3 ns:app:name -', '4 ns:app:tag 2.0.0'])
    expect(marked('image:\n  repository: index.docker.io/library/nginx\n  tag: "1.25"\n', 'nginx')).toEqual(['2 ns:app:name -', '3 ns:app:tag 1.25'])
    // Another registry, or another namespace on Docker Hub, is another image.
    expect(insertMarkers('image: ghcr.io/acme/app:1.0\nimage2: library/acme:1\n', 'acme/app', 'ns:app', false)).toEqual({ ok: false, reason: 'no image:, newName:/newTag: or repository:/tag: field holds acme/app' })
    expect(insertMarkers('image: localhost/acme/app:1.0\n', 'acme/app', 'ns:app', false).ok).toBe(false)
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

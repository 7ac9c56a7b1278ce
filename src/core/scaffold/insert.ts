// --insert: add an environment's markers to a user's file with the smallest edit — a line
// comment appended to the line of each field that holds the image — and only where the
// field's current value is that image:
//   image: <image>[:tag][@digest]                          → the full setter
//   newName: <image> / newTag (kustomize images entry)     → ":name" / ":tag"
//   repository: <image> / tag / digest (Helm values)      → ":name" / ":tag" / ":digest"
// A field that already carries a comment is left alone (the marker would not be read).
// Names are compared as go-containerregistry's name.ParseReference reads them (Flux's image
// reflector uses it): docker.io/x/y, index.docker.io/x/y and x/y are one image, and so are
// nginx and docker.io/library/nginx.

import { parseYamlFile, type ScalarSite } from '../markers/yaml-file.js'
import { parseMarker } from '../markers/marker.js'
import { IMAGE_FIELD } from '../markers/trace.js'
import { parseImage } from '../registry/image.js'

export interface Insertion {
  line: number
  field: string
  setter: string
  /** The tag the field holds now (an image field's tag, or a tag field's value). */
  tag?: string
}

export type InsertOutcome = { ok: true; text: string; inserted: Insertion[]; present: Insertion[] } | { ok: false; reason: string }

export function insertMarkers(text: string, image: string, base: string, digest: boolean, source = 'the file'): InsertOutcome {
  const parsed = parseYamlFile(text, source)
  if (!parsed.ok) return { ok: false, reason: `it does not parse: ${parsed.message}${parsed.line ? ` (line ${parsed.line})` : ''}` }
  const { scalars } = parsed.file
  const wanted: { site: ScalarSite; setter: string; tag?: string }[] = []
  const sibling = (s: ScalarSite, key: string): ScalarSite | undefined => {
    const prefix = s.path.slice(0, s.path.length - (s.key ?? '').length)
    return scalars.find((o) => o.role === 'value' && o.doc === s.doc && o.path === prefix + key)
  }
  const want = canonical(image) ?? image
  const isImage = (value: string | undefined): boolean => value !== undefined && (canonical(value) ?? value) === want
  for (const s of scalars) {
    if (s.role !== 'value' || s.key === undefined) continue
    if (IMAGE_FIELD.test(s.key) && isImage(imageOf(s.value))) {
      const tag = tagOf(s.value)
      wanted.push({ site: s, setter: base, ...(tag !== undefined ? { tag } : {}) })
    } else if (s.key === 'newName' && isImage(s.value)) {
      wanted.push({ site: s, setter: `${base}:name` })
      const tag = sibling(s, 'newTag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag`, tag: tag.value })
    } else if (s.key === 'name' && isImage(s.value) && !sibling(s, 'newName') && s.path.startsWith('images[')) {
      const tag = sibling(s, 'newTag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag`, tag: tag.value })
    } else if (s.key === 'repository' && isImage(s.value)) {
      wanted.push({ site: s, setter: `${base}:name` })
      const tag = sibling(s, 'tag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag`, tag: tag.value })
      const dig = sibling(s, 'digest')
      if (dig && digest) wanted.push({ site: dig, setter: `${base}:digest` })
    }
  }
  if (wanted.length === 0) return { ok: false, reason: `no image:, newName:/newTag: or repository:/tag: field holds ${image}` }
  const lines = text.split('\n')
  const inserted: Insertion[] = []
  const present: Insertion[] = []
  for (const { site, setter, tag } of wanted) {
    const at: Insertion = { line: site.line, field: site.path, setter, ...(tag !== undefined && tag !== '' ? { tag } : {}) }
    const existing = site.lineComment ?? site.headComment
    if (existing) {
      const m = parseMarker(existing.text)
      if (m.ok && m.setter === setter) {
        present.push(at)
        continue
      }
      return { ok: false, reason: `line ${site.line} (${site.path}) already has the comment ${existing.text}; replace it with # {"$imagepolicy": "${setter}"} by hand` }
    }
    if (site.endLine !== site.line || !lastOnLine(parsed.file.text, site)) return { ok: false, reason: `line ${site.line} (${site.path}) holds more than the value; put # {"$imagepolicy": "${setter}"} after the value by hand` }
    const i = site.line - 1
    const l = lines[i] as string
    const cr = l.endsWith('\r') ? '\r' : ''
    lines[i] = `${l.slice(0, l.length - cr.length).replace(/[ \t]+$/, '')} # {"$imagepolicy": "${setter}"}${cr}`
    inserted.push(at)
  }
  return { ok: true, text: lines.join('\n'), inserted, present }
}

/** The image of "<image>[:tag][@digest]", or undefined when it has neither. */
function imageOf(value: string): string | undefined {
  const noDigest = value.split('@')[0] as string
  const colon = noDigest.lastIndexOf(':')
  if (colon > noDigest.lastIndexOf('/')) return noDigest.slice(0, colon)
  return noDigest === value ? noDigest : undefined
}

/** The tag of "<image>:<tag>[@digest]", if it has one. */
function tagOf(value: string): string | undefined {
  const noDigest = value.split('@')[0] as string
  const colon = noDigest.lastIndexOf(':')
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(colon + 1) : undefined
}

/** registry/repository as go-containerregistry names it, or undefined for no valid name. */
function canonical(name: string): string | undefined {
  const parsed = parseImage(name)
  return parsed.ok ? parsed.name.canonical : undefined
}

function lastOnLine(text: string, s: ScalarSite): boolean {
  const end = s.end
  const eol = text.indexOf('\n', end)
  return /^[ \t\r]*$/.test(text.slice(end, eol < 0 ? text.length : eol))
}

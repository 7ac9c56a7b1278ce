// --insert: add an environment's markers to a user's file with the smallest edit — a line
// comment appended to the line of each field that holds the image — and only where the
// field's current value is that image:
//   image: <image>[:tag][@digest]                          → the full setter
//   newName: <image> / newTag (kustomize images entry)     → ":name" / ":tag"
//   repository: <image> / tag / digest (Helm values)      → ":name" / ":tag" / ":digest"
// A field that already carries a comment is left alone (the marker would not be read).

import { parseYamlFile, type ScalarSite } from '../markers/yaml-file.js'
import { parseMarker } from '../markers/marker.js'
import { IMAGE_FIELD } from '../markers/trace.js'

export interface Insertion {
  line: number
  field: string
  setter: string
}

export type InsertOutcome = { ok: true; text: string; inserted: Insertion[]; present: Insertion[] } | { ok: false; reason: string }

export function insertMarkers(text: string, image: string, base: string, digest: boolean, source = 'the file'): InsertOutcome {
  const parsed = parseYamlFile(text, source)
  if (!parsed.ok) return { ok: false, reason: `it does not parse: ${parsed.message}${parsed.line ? ` (line ${parsed.line})` : ''}` }
  const { scalars } = parsed.file
  const wanted: { site: ScalarSite; setter: string }[] = []
  const sibling = (s: ScalarSite, key: string): ScalarSite | undefined => {
    const prefix = s.path.slice(0, s.path.length - (s.key ?? '').length)
    return scalars.find((o) => o.role === 'value' && o.doc === s.doc && o.path === prefix + key)
  }
  for (const s of scalars) {
    if (s.role !== 'value' || s.key === undefined) continue
    if (IMAGE_FIELD.test(s.key) && imageOf(s.value) === image) wanted.push({ site: s, setter: base })
    else if (s.key === 'newName' && s.value === image) {
      wanted.push({ site: s, setter: `${base}:name` })
      const tag = sibling(s, 'newTag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag` })
    } else if (s.key === 'name' && s.value === image && !sibling(s, 'newName') && s.path.startsWith('images[')) {
      const tag = sibling(s, 'newTag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag` })
    } else if (s.key === 'repository' && s.value === image) {
      wanted.push({ site: s, setter: `${base}:name` })
      const tag = sibling(s, 'tag')
      if (tag) wanted.push({ site: tag, setter: `${base}:tag` })
      const dig = sibling(s, 'digest')
      if (dig && digest) wanted.push({ site: dig, setter: `${base}:digest` })
    }
  }
  if (wanted.length === 0) return { ok: false, reason: `no image:, newName:/newTag: or repository:/tag: field holds ${image}` }
  const lines = text.split('\n')
  const inserted: Insertion[] = []
  const present: Insertion[] = []
  for (const { site, setter } of wanted) {
    const at: Insertion = { line: site.line, field: site.path, setter }
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

function lastOnLine(text: string, s: ScalarSite): boolean {
  const end = s.end
  const eol = text.indexOf('\n', end)
  return /^[ \t\r]*$/.test(text.slice(end, eol < 0 ? text.length : eol))
}

// The Flux version a repository installs: its gotk-components.yaml files (what flux bootstrap
// writes under clusters/<name>/flux-system/). Several clusters may pin several versions: the
// answer then spans them. Reads only.

import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fromGotkComponents, type FluxVersion } from '../core/flux/detect.js'

const MAX_DEPTH = 8

export function fluxVersionOfTree(root: string): FluxVersion | undefined {
  const found: FluxVersion[] = []
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(join(dir, e.name), depth + 1)
      else if (e.isFile() && e.name === 'gotk-components.yaml') {
        const path = join(dir, e.name)
        const v = fromGotkComponents(readFileSync(path, 'utf8'), relative(root, path).split(sep).join('/'))
        if (v) found.push(v)
      }
    }
  }
  walk(root, 0)
  if (found.length === 0) return undefined
  const minors = [...new Set(found.flatMap((v) => v.minors))].sort((a, b) => a - b)
  return { minors, basis: found.map((v) => v.basis).join('; '), known: true }
}

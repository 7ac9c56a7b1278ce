// Where explain policy gets its tags: a file (one per line, or a JSON array), or the
// ImageRepository's status, which holds only the ten highest tags. The live registry
// listing plugs in here as a third source.

import type { ImageRepositoryObject, TagSource } from '../core/policy/explain.js'
import { distinct, distinctLines } from '../core/distinct.js'
import { CodedError } from '../core/tool-error.js'
import { readText } from './manifests.js'

export async function tagsFromFile(path: string): Promise<TagSource> {
  const text = await readText(path)
  const trimmed = text.trimStart()
  let tags: string[]
  if (trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (e) {
      throw new CodedError('ERR_TAGS_FILE', `${path}: not a valid JSON array: ${(e as Error).message}`)
    }
    if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) throw new CodedError('ERR_TAGS_FILE', `${path}: the JSON array must hold only strings`)
    tags = distinct(parsed)
  } else {
    tags = distinctLines(text)
  }
  // A registry lists each tag once; a hand-made file may not, so duplicates are dropped.
  return { kind: 'file', description: path === '-' ? 'standard input' : path, tags, complete: true }
}

export function tagsFromStatus(repo: ImageRepositoryObject): TagSource {
  const tags = repo.status?.lastScanResult?.latestTags ?? []
  const total = repo.status?.lastScanResult?.tagCount
  const where = `ImageRepository ${repo.metadata.namespace ?? ''}/${repo.metadata.name} status.lastScanResult.latestTags`
  return { kind: 'status', description: total !== undefined ? `${where} (${tags.length} of ${total} tags)` : where, tags, complete: total !== undefined && total <= tags.length }
}

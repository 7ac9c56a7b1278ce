// Where explain policy gets its tags: a file (one per line, or a JSON array), or the
// ImageRepository's status, which holds only the ten highest tags. The live registry
// listing plugs in here as a third source.

import { type ImageRepositoryObject, TAG_LIMIT, type TagSource } from '../core/policy/explain.js'
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
    tags = distinct(parsed, TAG_LIMIT)
  } else {
    tags = distinctLines(text, TAG_LIMIT)
  }
  if (tags.length > TAG_LIMIT) {
    throw new CodedError('ERR_TAGS_FILE', `${path}: more than ${TAG_LIMIT.toLocaleString('en')} distinct tags, the most explain policy replays`, 'Replay over part of the list (e.g. the tags the filterTags pattern admits); the README lists the limits.')
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

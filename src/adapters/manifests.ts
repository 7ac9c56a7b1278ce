// Reads Kubernetes manifests from files: multi-document YAML, and List objects unwrapped.

import { readFile } from 'node:fs/promises'
import { LineCounter } from 'yaml'
import { append } from '../core/append.js'
import { describeIssue, type FieldIssue, fieldIssues, kindOf, objectName } from '../core/objects/schema.js'
import { fieldLine } from './repo-objects.js'
import { CodedError } from '../core/tool-error.js'
import { plainDocuments, yamlDocuments } from '../core/yaml/read.js'

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

export async function readText(path: string): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CodedError('ERR_FILE_READ', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`)
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The objects of a manifest file. An object with a field of the wrong type is ERR_MANIFEST
 * (file:line, kind, name, field): thrown, or, with `onInvalid`, handed to it and left out
 * while the rest are read.
 */
export async function readManifests(path: string, onInvalid?: (e: CodedError) => void): Promise<KubeObject[]> {
  const text = await readText(path)
  const objects: KubeObject[] = []
  const invalid: Invalid[] = []
  // One document (or List item) at a time, through the reader with the YAML limits: only the
  // plain objects are kept, not the syntax trees (a 50 MB kubectl List held 3.7 GB of them).
  let index = -1
  for (const value of plainDocuments(text, path)) {
    index++
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || Array.isArray(value)) throw new CodedError('ERR_MANIFEST', `${path}: a document is not a mapping`)
    const obj = value as KubeObject & { items?: unknown }
    const list = kindOf(obj)?.endsWith('List') === true && Array.isArray(obj.items)
    const members = list ? (obj.items as unknown[]) : [obj]
    for (let i = 0; i < members.length; i++) {
      const member = members[i]
      // The core reads these fields as the CRDs type them: a wrong type stops here, named.
      const issues = fieldIssues(member)
      if (issues.length === 0) {
        objects.push(member as KubeObject)
        continue
      }
      invalid.push({ document: index, member, issues, prefix: list ? ['items', i] : [] })
      if (onInvalid === undefined) break
    }
    if (onInvalid === undefined && invalid.length > 0) break
  }
  if (invalid.length === 0) return objects
  // The lines come from reading the text again, once, for the documents that hold them.
  const errors = invalidErrors(text, path, invalid)
  if (onInvalid === undefined) throw errors[0] as CodedError
  for (const e of errors) onInvalid(e)
  return objects
}

interface Invalid {
  document: number
  member: unknown
  issues: FieldIssue[]
  /** The path of the member in its document: ['items', i] for a List item. */
  prefix: (string | number)[]
}

// One ERR_MANIFEST per object of the wrong shape: its first wrong field in the file, and how many more.
function invalidErrors(text: string, path: string, invalid: readonly Invalid[]): CodedError[] {
  const wanted = new Map<number, Invalid[]>()
  for (const v of invalid) append(wanted, v.document, v)
  const errors: CodedError[] = []
  const lineCounter = new LineCounter()
  let n = -1
  for (const doc of yamlDocuments(text, { source: path, lineCounter })) {
    for (const v of wanted.get(++n) ?? []) {
      const located = v.issues.map((issue) => ({ issue, line: fieldLine(doc, lineCounter, [...v.prefix, ...issue.path]) })).sort((a, b) => a.line - b.line)
      const first = located[0] as { issue: FieldIssue; line: number }
      const more = v.issues.length > 1 ? ` (and ${v.issues.length - 1} more field${v.issues.length > 2 ? 's' : ''})` : ''
      errors.push(new CodedError('ERR_MANIFEST', `${path}:${first.line}: ${kindOf(v.member) ?? 'object'} ${objectName(v.member)}: ${describeIssue(first.issue)}${more}`, 'Write the field with the type the CRD declares; quote numbers meant as strings (range: ">=1.0.0", tag: "1.0").'))
    }
    if (n >= (invalid[invalid.length - 1] as Invalid).document) break
  }
  return errors
}

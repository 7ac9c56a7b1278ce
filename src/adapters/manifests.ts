// Reads Kubernetes manifests from files: multi-document YAML, and List objects unwrapped.

import { readFile } from 'node:fs/promises'
import { LineCounter } from 'yaml'
import { describeIssue, type FieldIssue, fieldIssues, kindOf } from '../core/objects/schema.js'
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

export async function readManifests(path: string): Promise<KubeObject[]> {
  const text = await readText(path)
  const objects: KubeObject[] = []
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
      if (issues.length > 0) {
        // The first in the file, and how many more; the lines come from reading the text again.
        const lines = documentLines(text, path, index)
        const located = issues.map((issue) => ({ issue, line: lines(list ? ['items', i, ...issue.path] : issue.path) })).sort((a, b) => a.line - b.line)
        const first = located[0] as { issue: FieldIssue; line: number }
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more field${issues.length > 2 ? 's' : ''})` : ''
        throw new CodedError('ERR_MANIFEST', `${path}:${first.line}: ${kindOf(member) ?? 'object'} ${nameOf(member)}: ${describeIssue(first.issue)}${more}`, 'Write the field with the type the CRD declares; quote numbers meant as strings (range: ">=1.0.0", tag: "1.0").')
      }
      objects.push(member as KubeObject)
    }
  }
  return objects
}

// The line of a field in the index-th document, for an error: the text is read again, whole.
function documentLines(text: string, path: string, index: number): (field: readonly (string | number)[]) => number {
  const lineCounter = new LineCounter()
  let n = 0
  for (const doc of yamlDocuments(text, { source: path, lineCounter })) {
    if (n++ === index) return (field) => fieldLine(doc, lineCounter, field)
  }
  return () => 1
}

function nameOf(o: unknown): string {
  const meta = (o as { metadata?: { name?: unknown } }).metadata
  return typeof meta?.name === 'string' ? meta.name : '(unnamed)'
}

// Reads Kubernetes manifests from files: multi-document YAML, and List objects unwrapped.

import { readFile } from 'node:fs/promises'
import { LineCounter } from 'yaml'
import { describeIssue, type FieldIssue, fieldIssues, kindOf } from '../core/objects/schema.js'
import { fieldLine } from './repo-objects.js'
import { CodedError } from '../core/tool-error.js'
import { documentError, toPlain, yamlDocuments } from '../core/yaml/read.js'

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
  const lineCounter = new LineCounter()
  const objects: KubeObject[] = []
  // One document at a time, through the reader with the YAML limits: only the plain objects
  // are kept, not every document's syntax tree.
  for (const doc of yamlDocuments(text, { source: path, lineCounter })) {
    const err = documentError(doc, path)
    if (err) throw err
    const value = toPlain(doc, path)
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || Array.isArray(value)) throw new CodedError('ERR_MANIFEST', `${path}: a document is not a mapping`)
    const obj = value as KubeObject & { items?: unknown }
    const list = kindOf(obj)?.endsWith('List') === true && Array.isArray(obj.items)
    const members = list ? (obj.items as unknown[]) : [obj]
    members.forEach((member, i) => {
      // The core reads these fields as the CRDs type them: a wrong type stops here, named.
      const issues = fieldIssues(member)
      if (issues.length > 0) {
        // The first in the file, and how many more.
        const located = issues.map((issue) => ({ issue, line: fieldLine(doc, lineCounter, list ? ['items', i, ...issue.path] : issue.path) })).sort((a, b) => a.line - b.line)
        const first = located[0] as { issue: FieldIssue; line: number }
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more field${issues.length > 2 ? 's' : ''})` : ''
        throw new CodedError('ERR_MANIFEST', `${path}:${first.line}: ${kindOf(member) ?? 'object'} ${nameOf(member)}: ${describeIssue(first.issue)}${more}`, 'Write the field with the type the CRD declares; quote numbers meant as strings (range: ">=1.0.0", tag: "1.0").')
      }
      objects.push(member as KubeObject)
    })
  }
  return objects
}

function nameOf(o: unknown): string {
  const meta = (o as { metadata?: { name?: unknown } }).metadata
  return typeof meta?.name === 'string' ? meta.name : '(unnamed)'
}

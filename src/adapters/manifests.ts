// Reads Kubernetes manifests from files: multi-document YAML, and List objects unwrapped.

import { readFile } from 'node:fs/promises'
import { LineCounter, parseAllDocuments } from 'yaml'
import { describeIssue, type FieldIssue, fieldIssues, kindOf, objectName } from '../core/objects/schema.js'
import { fieldLine } from './repo-objects.js'
import { CodedError } from '../core/tool-error.js'

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
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter })
  const objects: KubeObject[] = []
  for (const doc of docs) {
    const err = doc.errors[0]
    if (err) {
      const line = err.linePos?.[0]?.line
      throw new CodedError('ERR_YAML', `${path}${line ? `:${line}` : ''}: ${err.message.split('\n')[0]}`)
    }
    const value = doc.toJS() as unknown
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
        const error = new CodedError('ERR_MANIFEST', `${path}:${first.line}: ${kindOf(member) ?? 'object'} ${objectName(member)}: ${describeIssue(first.issue)}${more}`, 'Write the field with the type the CRD declares; quote numbers meant as strings (range: ">=1.0.0", tag: "1.0").')
        if (onInvalid === undefined) throw error
        onInvalid(error)
        return
      }
      objects.push(member as KubeObject)
    })
  }
  return objects
}

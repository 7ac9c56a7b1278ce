// Reads Kubernetes manifests from files: multi-document YAML, and List objects unwrapped.

import { readFile } from 'node:fs/promises'
import { parseAllDocuments } from 'yaml'
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

export async function readManifests(path: string): Promise<KubeObject[]> {
  const text = await readText(path)
  const docs = parseAllDocuments(text)
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
    const obj = value as KubeObject & { items?: KubeObject[] }
    if (obj.kind?.endsWith('List') && Array.isArray(obj.items)) objects.push(...obj.items)
    else objects.push(obj)
  }
  return objects
}

// A change list in the shape preview --json prints (result.changes), read back for the
// template playground, and the sample it uses when given none.

import { CodedError } from '../tool-error.js'
import type { Change, FileUpdate } from './update.js'
import type { ObjectId } from './yaml-file.js'

type Planned = Pick<FileUpdate, 'file' | 'objects' | 'recordedAs'>

/** {file: {"apiVersion/kind/namespace/name": [{oldValue, newValue, setter}]}} as updates. */
export function changesFromRecord(value: unknown): FileUpdate[] {
  if (!isRecord(value)) throw new CodedError('ERR_MANIFEST', 'the changes must be a map of file → object → list of {oldValue, newValue, setter}')
  const out: Planned[] = []
  for (const [file, objects] of Object.entries(value)) {
    if (!isRecord(objects)) throw new CodedError('ERR_MANIFEST', `changes of ${file}: a map of "apiVersion/kind/namespace/name" → list of changes is expected`)
    const planned: Planned = { file, objects: [], recordedAs: file }
    for (const [key, list] of Object.entries(objects)) {
      const parts = key.split('/')
      if (parts.length < 4) throw new CodedError('ERR_MANIFEST', `changes of ${file}: "${key}" is not apiVersion/kind/namespace/name`)
      const [kind, namespace, name] = parts.slice(-3) as [string, string, string]
      const object: ObjectId = { apiVersion: parts.slice(0, -3).join('/'), kind, namespace, name }
      if (!Array.isArray(list)) throw new CodedError('ERR_MANIFEST', `changes of ${file} ${key}: a list of {oldValue, newValue, setter} is expected`)
      planned.objects.push({ object, changes: list.map((c: unknown) => change(c, `${file} ${key}`)) })
    }
    out.push(planned)
  }
  return out as FileUpdate[]
}

function change(c: unknown, where: string): Change {
  const r = isRecord(c) ? c : {}
  const { oldValue, newValue, setter } = r
  if (typeof oldValue !== 'string' || typeof newValue !== 'string' || typeof setter !== 'string') throw new CodedError('ERR_MANIFEST', `changes of ${where}: every change needs string oldValue, newValue and setter`)
  return { oldValue, newValue, setter }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Two files, three objects, four changes: enough to show ranges and merges. */
export const SAMPLE_CHANGES: FileUpdate[] = changesFromRecord({
  'apps/podinfo/deployment.yaml': {
    'apps/v1/Deployment/apps/podinfo': [{ oldValue: 'ghcr.io/stefanprodan/podinfo:6.5.0', newValue: 'ghcr.io/stefanprodan/podinfo:6.5.1', setter: 'flux-system:podinfo' }],
  },
  'apps/web/release.yaml': {
    'helm.toolkit.fluxcd.io/v2/HelmRelease/web/web': [
      { oldValue: 'ghcr.io/acme/web', newValue: 'ghcr.io/acme/web', setter: 'flux-system:web:name' },
      { oldValue: '1.4.2', newValue: '1.5.0', setter: 'flux-system:web:tag' },
    ],
    'v1/ConfigMap/web/web-version': [{ oldValue: '1.4.2', newValue: '1.5.0', setter: 'flux-system:web:tag' }],
  },
})

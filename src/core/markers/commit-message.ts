// The commit message image-automation-controller writes (internal/source/source.go,
// templateMsg): spec.git.commit.messageTemplate parsed as the Go text/template "commit
// message" with Sprig's hermetic functions, executed over TemplateData{AutomationObject,
// Changed, Values}; the default message when the template is empty; a removed field
// (.Updated, .Changed.ImageResult) is Flux's RemovedTemplateField stall; any other parse or
// execution error fails the run with Flux's own wording.

import { execute, Unsupported } from '../go/template/exec.js'
import { fluxTemplateFuncs } from '../go/template/funcs.js'
import { parseTemplate, TemplateError } from '../go/template/parse.js'
import { type GoStruct, type GoValue, slice, stringMap } from '../go/template/value.js'
import { type Change, type FileUpdate, recordedChanges } from './update.js'
import type { ObjectId } from './yaml-file.js'

export const DEFAULT_COMMIT_MESSAGE = 'Update from image update automation'

const DOCS = 'See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template'

export interface CommitSpec {
  messageTemplate?: string
  messageTemplateValues?: Record<string, string>
}

export type CommitMessage =
  | { ok: true; message: string; /** Why Flux may order the listed changes differently. */ orderNote?: string }
  | { ok: false; reason: 'RemovedTemplateField' | 'GitOperationFailed'; message: string }
  | { ok: false; reason: 'Unsupported'; message: string }

/** The message Flux commits for these updates, or the error it reports instead. */
export function renderCommitMessage(automation: { namespace: string; name?: string }, commit: CommitSpec | undefined, updates: readonly FileUpdate[]): CommitMessage {
  const source = commit?.messageTemplate || DEFAULT_COMMIT_MESSAGE
  const funcs = fluxTemplateFuncs()
  let tmpl
  try {
    tmpl = parseTemplate('commit message', source, (name) => funcs.has(name))
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, reason: 'GitOperationFailed', message: `failed to update source: unable to create commit message template from spec: ${e.message}` }
    throw e
  }
  const data = templateData(automation, commit?.messageTemplateValues, updates)
  try {
    const message = execute(tmpl, data, funcs)
    const orderNote = unorderedUse(source, updates)
    return { ok: true, message, ...(orderNote ? { orderNote } : {}) }
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: 'Unsupported', message: `the template calls the Sprig function ${e.function_}, which flux-imgauto does not render; Flux accepts it` }
    if (!(e instanceof TemplateError)) throw e
    if (e.message.includes("can't evaluate field Updated in type source.TemplateData")) {
      return { ok: false, reason: 'RemovedTemplateField', message: `template uses removed '.Updated' field. Please use '.Changed' instead. ${DOCS}` }
    }
    if (e.message.includes("can't evaluate field ImageResult in type update.Result")) {
      return { ok: false, reason: 'RemovedTemplateField', message: `template uses removed '.Changed.ImageResult' field. Please use '.Changed.FileChanges' or '.Changed.Objects' instead. ${DOCS}` }
    }
    return { ok: false, reason: 'GitOperationFailed', message: `failed to update source: failed to run template from spec: ${e.message}` }
  }
}

// Result.Changes and Result.Objects walk Go maps, whose order is random at every run: with
// more than one file (or object), the order of what they list is not fixed.
function unorderedUse(source: string, updates: readonly FileUpdate[]): string | undefined {
  const objects = updates.reduce((n, u) => n + u.objects.length, 0)
  if (/\.Changed\.Changes\b/.test(source) && objects > 1) return 'Flux builds .Changed.Changes by walking Go maps, so the order of the changes it lists varies from run to run; the set is the same'
  if (/\.Changed\.Objects\b/.test(source) && updates.length > 1 && sameObjectInTwoFiles(updates)) return 'An object changed in several files: Flux merges its changes from a Go map walk, in an order that varies from run to run'
  return undefined
}

function sameObjectInTwoFiles(updates: readonly FileUpdate[]): boolean {
  const seen = new Set<string>()
  for (const u of updates) {
    for (const o of u.objects) {
      const k = objectKey(o.object)
      if (seen.has(k)) return true
      seen.add(k)
    }
  }
  return false
}

const objectKey = (o: ObjectId): string => `${o.apiVersion}\0${o.kind}\0${o.name}\0${o.namespace}`

// update.ObjectIdentifier{yaml.ResourceIdentifier{TypeMeta{APIVersion, Kind}, NameMeta{Name, Namespace}}}
function objectIdentifier(o: ObjectId): GoStruct {
  return {
    kind: 'struct',
    type: 'update.ObjectIdentifier',
    fields: [
      {
        name: 'ResourceIdentifier',
        embedded: true,
        value: {
          kind: 'struct',
          type: 'yaml.ResourceIdentifier',
          fields: [
            { name: 'TypeMeta', embedded: true, value: { kind: 'struct', type: 'yaml.TypeMeta', fields: [{ name: 'APIVersion', value: o.apiVersion }, { name: 'Kind', value: o.kind }] } },
            { name: 'NameMeta', embedded: true, value: { kind: 'struct', type: 'yaml.NameMeta', fields: [{ name: 'Name', value: o.name }, { name: 'Namespace', value: o.namespace }] } },
          ],
        },
      },
    ],
  }
}

function change(c: Change): GoStruct {
  return { kind: 'struct', type: 'update.Change', fields: [{ name: 'OldValue', value: c.oldValue }, { name: 'NewValue', value: c.newValue }, { name: 'Setter', value: c.setter }] }
}

const changeList = (cs: readonly Change[]): GoValue => slice('[]update.Change', cs.map(change))

function objectChanges(entries: [ObjectId, Change[]][]): GoValue {
  return { kind: 'map', type: 'update.ObjectChanges', stringKeys: false, entries: entries.map(([o, cs]) => [objectIdentifier(o), changeList(cs)]) }
}

function templateData(automation: { namespace: string; name?: string }, values: Record<string, string> | undefined, updates: readonly FileUpdate[]): GoStruct {
  const name = automation.name ?? ''
  const fileChanges = stringMap(
    'map[string]update.ObjectChanges',
    recordedChanges(updates).map((u) => [u.file, objectChanges(u.objects.map((o) => [o.object, o.changes]))]),
  )
  const result: GoStruct = {
    kind: 'struct',
    type: 'update.Result',
    fields: [{ name: 'FileChanges', value: fileChanges }],
    methods: {
      // Result.Objects: every file's objects merged, changes appended per object.
      Objects: () => {
        const merged = new Map<string, [ObjectId, Change[]]>()
        for (const u of updates) {
          for (const o of u.objects) {
            const k = objectKey(o.object)
            const at = merged.get(k)
            if (at) for (const c of o.changes) at[1].push(c)
            else merged.set(k, [o.object, [...o.changes]])
          }
        }
        return objectChanges([...merged.values()])
      },
      // Result.Changes: each distinct change once.
      Changes: () => {
        const seen = new Set<string>()
        const out: Change[] = []
        for (const u of updates) {
          for (const o of u.objects) {
            for (const c of o.changes) {
              const k = `${c.oldValue}\0${c.newValue}\0${c.setter}`
              if (!seen.has(k)) {
                seen.add(k)
                out.push(c)
              }
            }
          }
        }
        return changeList(out)
      },
    },
  }
  const automationObject: GoStruct = {
    kind: 'struct',
    type: 'types.NamespacedName',
    fields: [{ name: 'Namespace', value: automation.namespace }, { name: 'Name', value: name }],
    string: () => `${automation.namespace}/${name}`,
  }
  return {
    kind: 'struct',
    type: 'source.TemplateData',
    fields: [
      { name: 'AutomationObject', value: automationObject },
      { name: 'Changed', value: result },
      // A nil map when unset: it prints and indexes as an empty one.
      { name: 'Values', value: stringMap('map[string]string', Object.entries(values ?? {})) },
    ],
  }
}

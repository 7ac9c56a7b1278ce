// What trace and preview need besides the checkout: the automation (namespace, update.path,
// policySelector) and the ImagePolicies with their latestRef, from the cluster or from files.

import { Args, Flags } from '@oclif/core'
import { IMAGE_POLICY, IMAGE_UPDATE_AUTOMATION, KubeReader } from '../adapters/kube.js'
import { type KubeObject, readManifests } from '../adapters/manifests.js'
import { policyPick } from '../core/flux/pick.js'
import type { CommitSpec } from '../core/markers/commit-message.js'
import type { LabelSelector, PolicyLike } from '../core/markers/setters.js'
import type { AutomationLike } from '../core/markers/trace.js'
import { type GitTarget, gitTarget } from '../core/markers/owners.js'
import type { ToolError } from '../core/findings/types.js'
import { CodedError } from '../core/tool-error.js'
import { kubeFlags } from './base.js'

/** The checkout both commands read; update.path is relative to it. */
export const checkoutArg = { path: Args.string({ default: '.', ignoreStdin: true, description: 'The Git checkout (the root update.path is relative to).' }) }

export const automationFlags = {
  ...kubeFlags,
  automation: Flags.string({ description: 'Read this ImageUpdateAutomation (in -n) and its namespace\'s ImagePolicies from the cluster.' }),
  'automation-file': Flags.string({ description: 'Read the ImageUpdateAutomation from this manifest (namespace, update.path, policySelector).' }),
  path: Flags.string({ description: "The automation's update.path, when no automation is given (default: the repository root)." }),
  'policies-file': Flags.string({ description: 'ImagePolicies with status.latestRef (or status.latestImage, Flux ≤ 2.5), as kubectl get imagepolicies -o yaml prints them (a List or several documents).' }),
}

export interface AutomationInputs {
  automation: AutomationLike & { updatePath?: string; strategy?: string; commit?: CommitSpec; git?: GitTarget }
  policies: PolicyLike[]
  source: string
  /** ImagePolicies the API server answered with a field of the wrong type: left out, reported. */
  errors: ToolError[]
}

interface Flagged {
  namespace: string
  context?: string
  kubeconfig?: string
  'request-timeout': number
  automation?: string
  'automation-file'?: string
  path?: string
  'policies-file'?: string
}

export async function resolveAutomation(flags: Flagged): Promise<AutomationInputs> {
  if (flags.automation !== undefined && flags['automation-file'] !== undefined) throw new CodedError('ERR_USAGE', 'give --automation or --automation-file, not both')
  let automation: AutomationInputs['automation']
  let source: string
  let kube: KubeReader | undefined
  const connect = async (): Promise<KubeReader> =>
    (kube ??= await KubeReader.connect({ kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: flags['request-timeout'] * 1000 }))
  if (flags.automation !== undefined) {
    const obj = await (await connect()).get(IMAGE_UPDATE_AUTOMATION, flags.namespace, flags.automation)
    automation = automationFromObject(obj, flags.namespace)
    source = `ImageUpdateAutomation ${flags.namespace}/${flags.automation}`
  } else if (flags['automation-file'] !== undefined) {
    const objs = (await readManifests(flags['automation-file'])).filter((o) => o.kind === 'ImageUpdateAutomation')
    if (objs.length !== 1) throw new CodedError('ERR_MANIFEST', `${flags['automation-file']} holds ${objs.length} ImageUpdateAutomations; it must hold exactly one`)
    automation = automationFromObject(objs[0] as KubeObject, flags.namespace)
    source = `${flags['automation-file']}`
  } else {
    automation = { namespace: flags.namespace, ...(flags.path !== undefined ? { updatePath: flags.path } : {}) }
    source = `namespace ${flags.namespace}`
  }
  if (flags.path !== undefined && (flags.automation !== undefined || flags['automation-file'] !== undefined)) automation.updatePath = flags.path

  let policies: PolicyLike[]
  const errors: ToolError[] = []
  if (flags['policies-file'] !== undefined) {
    policies = (await readManifests(flags['policies-file'])).filter((o) => o.kind === 'ImagePolicy').map((o) => asPolicy(o, automation.namespace))
  } else {
    policies = (await (await connect()).list(IMAGE_POLICY, automation.namespace, (e) => errors.push(e.toToolError()))).map((o) => asPolicy(o, automation.namespace))
  }
  return { automation, policies, source, errors }
}

/** What the marker trace needs of an ImageUpdateAutomation object. */
export function automationFromObject(o: KubeObject, fallbackNs: string): AutomationInputs['automation'] {
  const spec = (o.spec ?? {}) as { update?: { path?: string; strategy?: string }; policySelector?: LabelSelector; git?: { commit?: unknown } }
  const commit = commitSpec(spec.git?.commit)
  return {
    namespace: o.metadata?.namespace ?? fallbackNs,
    // The CRD defaults update to {strategy: Setters}; only an explicit other value differs.
    ...(spec.update?.strategy !== undefined ? { strategy: spec.update.strategy } : {}),
    ...(o.metadata?.name ? { name: o.metadata.name } : {}),
    ...(spec.update?.path !== undefined ? { updatePath: spec.update.path } : {}),
    ...(spec.policySelector ? { policySelector: spec.policySelector } : {}),
    ...(commit ? { commit } : {}),
    git: gitTarget(o.metadata?.namespace ?? fallbackNs, o.spec),
  }
}

// spec.git.commit as far as the message goes: a string template, and string values.
function commitSpec(c: unknown): CommitSpec | undefined {
  if (typeof c !== 'object' || c === null) return undefined
  const { messageTemplate, messageTemplateValues } = c as { messageTemplate?: unknown; messageTemplateValues?: unknown }
  const out: CommitSpec = {}
  if (typeof messageTemplate === 'string') out.messageTemplate = messageTemplate
  if (typeof messageTemplateValues === 'object' && messageTemplateValues !== null) {
    out.messageTemplateValues = Object.fromEntries(Object.entries(messageTemplateValues).filter((e): e is [string, string] => typeof e[1] === 'string'))
  }
  return out.messageTemplate !== undefined || out.messageTemplateValues !== undefined ? out : undefined
}

// The pick as the automation at the policy's version reads it: status.latestRef, or
// status.latestImage from image-reflector-controller ≤ v0.34 (Flux ≤ 2.5).
function asPolicy(o: KubeObject, fallbackNs: string): PolicyLike {
  const pick = policyPick(o.status)
  return {
    metadata: { name: o.metadata?.name ?? '', namespace: o.metadata?.namespace ?? fallbackNs, ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}) },
    ...(o.status ? { status: { ...(o.status as PolicyLike['status']), ...(pick ? { latestRef: pick.ref } : {}) } } : {}),
  }
}

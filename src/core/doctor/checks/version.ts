// The Flux version the doctor judges by, checked against what the controllers wrote and run
// with. Each release sets its own condition reasons (the version model's `reasons`), so a
// reason the assumed release cannot set means the guess is wrong — an upgrade applied in part,
// a stale version label, or --flux-version stating another release — and every version-
// dependent finding may be off (FIA458); so does a Ready message in a wording only other
// releases write (the model's MESSAGE_MARKS). Suspended objects keep what an older release wrote,
// and are not judged. Each release accepts only its own feature gates: fluxcd/pkg's
// runtime/features SupportedFeatures fails with "feature-gate '<name>' not supported" and the
// controller exits ("unable to load feature gates"), so a gate of another release in the
// Deployment's --feature-gates keeps it from starting (FIA459). Only gates the model knows
// from some release are judged: fluxcd/pkg may register gates the model does not list.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { assumedText } from '../../flux/detect.js'
import { FLUX_MINORS, type FluxMinor, fluxMinor, IMAGE_KINDS, type ImageKind, MESSAGE_MARKS, minorsText } from '../../flux/versions.js'
import { type Check, subjectOf } from '../check.js'
import { condition, type KObject, objectsOf, ref, type Snapshot } from '../snapshot.js'

const CONTROLLER: Record<ImageKind, 'imageReflector' | 'imageAutomation'> = { ImageRepository: 'imageReflector', ImagePolicy: 'imageReflector', ImageUpdateAutomation: 'imageAutomation' }
const NAME = { imageReflector: 'image-reflector-controller', imageAutomation: 'image-automation-controller' } as const

/** "image-automation-controller v0.40 (Flux 2.5)": the controller of a kind at these minors. */
function running(kind: ImageKind, minors: readonly number[]): string {
  const controller = CONTROLLER[kind]
  return `${NAME[controller]} ${[...new Set(minors.map((m) => fluxMinor(m)[controller]))].join(', ')} (${minorsText(minors)})`
}

function judged(s: Snapshot): { kind: ImageKind; o: KObject }[] {
  if (!s.fluxVersion?.known) return []
  return IMAGE_KINDS.flatMap((kind) => (objectsOf(s, kind) ?? []).filter((o) => !o.spec?.suspend && (condition(o, 'Ready') || condition(o, 'Stalled'))).map((o) => ({ kind, o })))
}

type GatedController = keyof FluxMinor['featureGates']

/** The image controllers' Deployments and the gates their --feature-gates name. */
function gated(s: Snapshot): { controller: GatedController; d: KObject; gates: string[] }[] {
  if (!s.fluxVersion?.known) return []
  return (['image-reflector-controller', 'image-automation-controller'] as const).flatMap((controller) => {
    const d = (objectsOf(s, 'Deployment') ?? []).find((x) => x.metadata.name === controller)
    const containers = ((d?.spec?.template as { spec?: { containers?: { name?: string; args?: unknown[] }[] } } | undefined)?.spec?.containers ?? [])
    const args = (containers.find((c) => c.name === 'manager') ?? containers[0])?.args ?? []
    const gates = args.flatMap((a) => (typeof a === 'string' ? (/^--feature-gates=(.*)$/.exec(a)?.[1]?.split(',') ?? []) : [])).map((g) => g.split('=')[0]?.trim() ?? '').filter((g) => g !== '')
    return d ? [{ controller, d, gates }] : []
  })
}

export const reasonsFitVersion: Check = {
  id: 'reasons-fit-version',
  stage: 'controllers',
  title: 'The condition reasons and feature gates fit the Flux version assumed',
  needs: [],
  over: (s) => ({ count: judged(s).length + gated(s).length, what: 'image object with a condition or image controller Deployment, judged against a known Flux version' }),
  run(s) {
    const v = s.fluxVersion
    if (!v) return []
    const out: Finding[] = []
    for (const { controller, d, gates } of gated(s)) {
      for (const gate of gates) {
        const has = FLUX_MINORS.filter((f) => gate in f.featureGates[controller]).map((f) => f.minor)
        if (has.length === 0 || v.minors.some((m) => has.includes(m))) continue
        const versions = [...new Set(v.minors.map((m) => fluxMinor(m)[controller === 'image-reflector-controller' ? 'imageReflector' : 'imageAutomation']))].join(', ')
        out.push(
          finding('FIA459', `Deployment ${ref(d)} passes --feature-gates with ${gate}, which ${controller} ${versions} (${minorsText(v.minors)}) does not have: it exits at start (its log: "unable to load feature gates", error "feature-gate '${gate}' not supported"). ${minorsText(has)} ${has.length > 1 ? 'have' : 'has'} it.`, {
            subject: subjectOf('Deployment', d),
            evidence: [assumedText(v)],
          }),
        )
      }
    }
    for (const { kind, o } of judged(s)) {
      const before = out.length
      const seen = new Set<string>()
      for (const type of ['Ready', 'Stalled']) {
        const reason = condition(o, type)?.reason
        if (!reason || seen.has(reason)) continue
        seen.add(reason)
        const setBy = FLUX_MINORS.filter((f) => f.reasons[kind].includes(reason)).map((f) => f.minor)
        // A reason no release in the model sets says nothing about which release this is.
        if (setBy.length === 0 || v.minors.some((m) => setBy.includes(m))) continue
        out.push(
          finding('FIA458', `${kind} ${ref(o)} has ${type} reason ${reason}, which ${running(kind, v.minors)} does not set; ${minorsText(setBy)} does.`, {
            subject: subjectOf(kind, o),
            evidence: [`${type}: ${condition(o, type)?.message ?? ''}`, assumedText(v)],
          }),
        )
      }
      // One finding per object: its reason already says so.
      if (out.length > before) continue
      const message = condition(o, 'Ready')?.message ?? ''
      const mark = MESSAGE_MARKS.find((m) => m.kind === kind && m.pattern.test(message))
      if (!mark || v.minors.some(mark.minors)) continue
      const writtenBy = FLUX_MINORS.filter((f) => mark.minors(f.minor)).map((f) => f.minor)
      out.push(
        finding('FIA458', `${kind} ${ref(o)} has a Ready message with ${mark.what}, which ${running(kind, v.minors)} does not write; ${minorsText(writtenBy)} does.`, {
          subject: subjectOf(kind, o),
          evidence: [`Ready: ${message}`, assumedText(v)],
        }),
      )
    }
    return out
  },
}

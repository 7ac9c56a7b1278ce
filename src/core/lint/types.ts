// What lint reads from a repository, as plain data: the Flux image objects with where they
// are, the texts of files that may carry ignore comments, and the marker scans.

import type { Finding } from '../findings/types.js'
import type { FluxVersion } from '../flux/detect.js'
import type { GitTarget } from '../markers/owners.js'
import type { AutomationLike, RepoSnapshot } from '../markers/trace.js'
import type { UnreadEntry } from '../markers/unread.js'

export const IMAGE_KINDS = ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'] as const
export type ImageKind = (typeof IMAGE_KINDS)[number]

export interface LintObject {
  /** Relative to the linted directory, with "/". */
  file: string
  /** The line of the document's first key. */
  line: number
  apiVersion: string
  kind: ImageKind
  name: string
  /** metadata.namespace, or the default namespace when it names none. */
  namespace: string
  labels: Record<string, string>
  spec: Record<string, unknown>
}

/**
 * A file lint could not parse, when it mentions the image API (FIA506), or an image object
 * in it with a field of the wrong type, which the API server refuses (FIA509).
 */
export interface UnparsableFile {
  code?: 'FIA506' | 'FIA509'
  file: string
  line?: number
  message: string
}

/** One automation's view of the checkout: its scan of update.path. */
export interface AutomationScan {
  automation: AutomationLike & { updatePath?: string; strategy?: string; git?: GitTarget }
  /** The resolved update.path relative to the linted directory ("" for the directory itself). */
  covers?: string
  /** The scan's base relative to the linted directory ("" for the directory itself). */
  prefix: string
  snapshot: RepoSnapshot
  /** What the scan of update.path did not read (paths relative to its base). */
  unread: readonly UnreadEntry[]
  /** Where the automation is defined (relative to the linted directory). */
  object?: { file: string; line: number }
  /** Flux's run error when update.path does not resolve (missing, a symlink loop). */
  missingPath?: string
}

/** A GitRepository of the tree, as far as branches go (the default branch when ref.branch is unset is not known here). */
export interface GitRepositoryRef {
  file: string
  line: number
  namespace: string
  name: string
  url?: string
  branch?: string
}

/** How the tree splits into environments: paths relative to the linted directory, "" for itself. */
export interface Layout {
  /** spec.path of every Flux Kustomization. */
  kustomizationPaths: string[]
  /** Each kustomization file's directory and the local directories it builds on. */
  overlays: { dir: string; bases: string[] }[]
}

export interface LintInput {
  layout?: Layout
  /** The GitRepositories of the tree. */
  gitRepositories?: GitRepositoryRef[]
  objects: LintObject[]
  unparsable: UnparsableFile[]
  /** Each automation's scan of its own update.path (no near misses outside it). */
  scans: AutomationScan[]
  /** The whole directory, scanned as an automation at its root would: every marker. */
  everything: RepoSnapshot
  /** What the walk of the whole directory did not read. */
  unread: readonly UnreadEntry[]
  /** The namespace of objects that name none. */
  defaultNamespace: string
  /** Texts of the files findings may point into, by path, for ignore comments. */
  texts: Map<string, string>
  /** The Flux version the manifests are for, when known (--flux-version, gotk-components.yaml). */
  fluxVersion?: FluxVersion
  /** Judge only this file (relative to the linted directory); the rest is context. */
  only?: string
}

export interface Suppressed {
  finding: Finding
  reason: string
}

export interface LintResult {
  objects: { kind: ImageKind; namespace: string; name: string; file: string; line: number }[]
  markers: number
  suppressed: Suppressed[]
}

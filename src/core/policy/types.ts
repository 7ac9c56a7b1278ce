// The ImagePolicy and ImageRepository fields the replay reads (image.toolkit.fluxcd.io/v1).

export interface ImagePolicySpec {
  imageRepositoryRef?: { name?: string; namespace?: string }
  policy?: {
    semver?: { range?: string } | null
    alphabetical?: { order?: string } | null
    numerical?: { order?: string } | null
  }
  filterTags?: { pattern?: string; extract?: string } | null
  digestReflectionPolicy?: string
  interval?: string
}

export type Verdict =
  | 'excluded'
  | 'no-match'
  | 'collided'
  | 'unevaluated'
  | 'not-a-version'
  | 'prerelease-excluded'
  | 'out-of-range'
  | 'not-numeric'
  | 'candidate'
  | 'tied'
  | 'winner'

export interface TagVerdict {
  tag: string
  verdict: Verdict
  /** The filterTags.extract result the policer saw instead of the tag. */
  extracted?: string | undefined
  reason?: string | undefined
}

/** Where Flux would stop, named after the condition it would set. */
export type ReplayErrorKind = 'scan-failed' | 'invalid-policy' | 'no-tags' | 'invalid-filter' | 'policy-failed'

export type PolicyKind = 'semver' | 'alphabetical' | 'numerical'

export interface ReplayInput {
  spec: ImagePolicySpec
  /** The registry's tag list, as Flux stores it: distinct tags, in any order. */
  tags: readonly string[]
  /** The ImageRepository's spec.exclusionList; undefined or empty means Flux's default. */
  exclusionList?: readonly string[]
  /** How many of the best candidates to list in `ranking` (default 10). */
  top?: number
}

export interface ReplayResult {
  /** The tag Flux would put in status.latestRef.tag. */
  latest?: string
  /** The exact message Flux would set on the object when it cannot select a tag. */
  error?: string
  errorKind?: ReplayErrorKind
  policyKind?: PolicyKind
  /** One verdict per input tag, in input order. */
  tags: TagVerdict[]
  /** Best candidates first (the winner first), at most `top` of them. */
  ranking: string[]
  /** When Flux's pick depends on Go's random map order: every tag it could pick. */
  ambiguous?: string[]
  /** Facts about the replay a reader should know (ambiguity, defaults applied). */
  notes: string[]
}

/** Flux's default ImageRepository exclusionList (GetExclusionList). */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ['^.*\\.sig$']

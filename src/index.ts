// The library API: the replay engine and its types, for tools that want Flux's policy
// semantics without the CLI.

export { replayPolicy } from './core/policy/replay.js'
export { explainPolicy } from './core/policy/explain.js'
export { DEFAULT_EXCLUSION_LIST } from './core/policy/types.js'
export type { ImagePolicySpec, ReplayInput, ReplayResult, TagVerdict, Verdict, PolicyKind, ReplayErrorKind } from './core/policy/types.js'
export type { Finding, ToolError, Envelope, Severity, Status } from './core/findings/types.js'
export { FINDING_CODES, ERROR_CODES } from './core/findings/catalogue.js'

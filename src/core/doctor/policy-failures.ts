// ImagePolicy failures, classified from image-reflector-controller's own message (its
// internal/policy and imagepolicy_controller.go at v0.29–v1.2): the message is first-hand
// evidence, the replay over the ten tags the status keeps is not. Up to v0.24 messages were
// prefixed "Cannot determine latest tag for policy: ".

import type { FindingCodeId } from '../findings/catalogue.js'
import type { MessageFamily } from './git-failures.js'

export const POLICY_FAMILIES: readonly MessageFamily[] = [
  { code: 'FIA422', cause: 'the ImageRepository is missing or not shared with this namespace', pattern: /cross-namespace references have been blocked|referenced ImageRepository does not exist|failed to get the referred ImageRepository|access denied:/ },
  { code: 'FIA425', cause: "the selected tag's digest cannot be fetched", pattern: /failed fetching digest of|failed fetching descriptor for/ },
  { code: 'FIA423', cause: "the controller's database holds no tags for the repository", pattern: /no tags in database|has not been scanned yet|failed to read tags from database/ },
  { code: 'FIA215', cause: 'object-level workload identity is used without its feature gate', pattern: /ObjectLevelWorkloadIdentity/ },
  { code: 'FIA210', cause: "the ImageRepository's image has a tag or a scheme", pattern: /should not include (a tag|URL scheme)/ },
  { code: 'FIA104', cause: 'filterTags.pattern does not compile in this controller', pattern: /invalid regular expression pattern|failed to filter tags/ },
  { code: 'FIA102', cause: 'the policy is invalid', pattern: /invalid policy:|invalid order argument provided|ImagePolicyChoice object is invalid|improper constraint|invalid semver/i },
  { code: 'FIA105', cause: 'no tag satisfies the semver range', pattern: /unable to determine latest version from provided list/ },
  { code: 'FIA106', cause: 'no tag reached the policy after filtering', pattern: /version list argument cannot be empty/ },
  { code: 'FIA107', cause: 'a value is not numeric, so the numerical policy fails as a whole', pattern: /failed to parse invalid numeric value/ },
]

export const POLICY_RULED_OUT = 'ruled out: a missing or unshared ImageRepository, digest fetches, an empty tag database, the feature gate, the image URL, patterns, invalid policies, semver ranges, empty tag lists, numerical values'

/** The family of a policy's Ready message; "version list argument cannot be empty" with no filter means no tags at all. */
export function classifyPolicy(message: string, hasPattern: boolean): MessageFamily | undefined {
  const text = message.replace(/^Cannot determine latest tag for policy: /, '')
  const family = POLICY_FAMILIES.find((f) => f.pattern.test(text))
  if (family?.code === 'FIA106' && !hasPattern) return { ...family, code: 'FIA103' as FindingCodeId, cause: 'no tags reached the policy (none scanned, or the exclusionList drops them all)' }
  return family
}

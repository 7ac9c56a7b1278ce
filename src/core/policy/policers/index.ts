// PolicerFromSpec: semver, then alphabetical, then numerical; none is an invalid policy.

import type { ImagePolicySpec } from '../types.js'
import { AlphabeticalPolicer } from './alphabetical.js'
import { NumericalPolicer } from './numerical.js'
import { InvalidPolicy, type Policer } from './policer.js'
import { SemverPolicer } from './semver.js'

export { InvalidPolicy, type Items, type Policer } from './policer.js'

export function buildPolicer(spec: ImagePolicySpec): Policer {
  const choice = spec.policy ?? {}
  if (choice.semver !== undefined && choice.semver !== null) return new SemverPolicer(choice.semver.range ?? '')
  if (choice.alphabetical !== undefined && choice.alphabetical !== null) return new AlphabeticalPolicer(choice.alphabetical.order)
  if (choice.numerical !== undefined && choice.numerical !== null) return new NumericalPolicer(choice.numerical.order)
  throw new InvalidPolicy('given ImagePolicyChoice object is invalid')
}

// The explicit command registry (oclif "explicit" strategy): sorted, nothing discovered at runtime.

import Codes from './codes.js'
import ExplainPolicy from './explain/policy.js'

export const commands = {
  codes: Codes,
  'explain:policy': ExplainPolicy,
}

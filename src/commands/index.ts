// The explicit command registry (oclif "explicit" strategy): sorted, nothing discovered at runtime.

import Codes from './codes.js'
import Completion from './completion.js'
import Doctor from './doctor.js'
import ExplainPolicy from './explain/policy.js'
import Lint from './lint.js'
import Mcp from './mcp.js'
import Preview from './preview.js'
import Scaffold from './scaffold.js'
import Serve from './serve.js'
import Template from './template.js'
import Trace from './trace.js'

export const commands = {
  codes: Codes,
  completion: Completion,
  doctor: Doctor,
  'explain:policy': ExplainPolicy,
  lint: Lint,
  mcp: Mcp,
  preview: Preview,
  scaffold: Scaffold,
  serve: Serve,
  template: Template,
  trace: Trace,
}

// node --import ./record-imports.mjs: every ES module the process loads is appended, one URL a
// line, to the file named by FIA_RECORD_IMPORTS (the hooks run on their own thread).
import { register } from 'node:module'

register(new URL('./record-imports-hooks.mjs', import.meta.url), { data: { file: process.env.FIA_RECORD_IMPORTS } })

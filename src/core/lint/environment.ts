// Does an object look like production? Lint is stricter there (pre-releases, direct
// commits). The words are matched as whole parts of names, namespaces, labels and paths.

import type { LintObject } from './types.js'

const PRODUCTION = /(^|[^a-z0-9])(prod|production|prd|live)([^a-z0-9]|$)/i

/** Does a name, path or label name production as one of its parts ("prod-eu", "apps/live")? */
export function namesProduction(s: string): boolean {
  return PRODUCTION.test(s)
}

export function looksLikeProduction(o: LintObject, ...more: (string | undefined)[]): boolean {
  return [o.name, o.namespace, o.file, ...Object.values(o.labels), ...more].some((s) => s !== undefined && namesProduction(s))
}

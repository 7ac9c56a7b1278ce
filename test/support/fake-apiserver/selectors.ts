// Label and field selectors with kube-apiserver's grammar and semantics
// (k8s.io/apimachinery/pkg/labels/selector.go, pkg/fields/selector.go): a comma-separated
// list of requirements, all of which must hold. A selector that does not parse is a 400.

export class SelectorError extends Error {}

type Labels = Record<string, string>
export type Requirement = (labels: Labels) => boolean

const KEY = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
const VALUE = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/

/** Splits on commas outside parentheses, as the label lexer does. */
function requirements(selector: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  out.push(cur.trim())
  return out
}

function key(k: string, whole: string): string {
  if (!KEY.test(k)) throw new SelectorError(`unable to parse requirement: ${JSON.stringify(whole)}: invalid label key ${JSON.stringify(k)}`)
  return k
}

function value(v: string, whole: string): string {
  if (!VALUE.test(v) || v.length > 63) throw new SelectorError(`unable to parse requirement: ${JSON.stringify(whole)}: invalid label value ${JSON.stringify(v)}`)
  return v
}

/** A label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`. */
export function parseLabelSelector(selector: string): Requirement {
  if (selector.trim() === '') return () => true
  const reqs = requirements(selector).map((r): Requirement => {
    if (r === '') throw new SelectorError(`found '', expected: identifier`)
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(r)
    if (m) {
      const k = key(m[1] as string, r)
      const values = (m[3] as string).split(',').map((v) => value(v.trim(), r))
      return m[2] === 'in' ? (l) => k in l && values.includes(l[k] as string) : (l) => !(k in l) || !values.includes(l[k] as string)
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(r)
    if (m) {
      const k = key(m[1] as string, r)
      const v = value((m[3] as string).trim(), r)
      // `!=` also matches objects without the label, as kube-apiserver's NotEquals does.
      return m[2] === '!=' ? (l) => l[k] !== v : (l) => l[k] === v
    }
    m = /^(!?)\s*(\S+)$/.exec(r)
    if (m) {
      const k = key(m[2] as string, r)
      return m[1] === '!' ? (l) => !(k in l) : (l) => k in l
    }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(r)}`)
  })
  return (labels) => reqs.every((q) => q(labels))
}

/** A field selector: `f=v`, `f==v`, `f!=v`, over the fields the resource supports. */
export function parseFieldSelector(selector: string, fields: Record<string, (o: never) => string>): (o: never) => boolean {
  if (selector.trim() === '') return () => true
  const reqs = requirements(selector).map((r) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(r)
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${r}'`)
    const field = fields[m[1] as string]
    if (!field) throw new SelectorError(`field label not supported: ${m[1]}`)
    const v = m[3] as string
    return m[2] === '!=' ? (o: never) => field(o) !== v : (o: never) => field(o) === v
  })
  return (o) => reqs.every((q) => q(o))
}

// Go's text/template execution (exec.go) over the Go values of value.ts: fields and methods,
// map keys (a missing key is "<no value>"), variables, pipelines with the previous value as
// the last argument, if/with/range/else, break/continue, template calls, and the error texts
// `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`.

import { argString, type Arg, type Command, type Node, type Pipe, type Template, TemplateError } from './parse.js'
import { GoFloat, type GoValue, isObject, sortedEntries, sprintValue, typeOf } from './value.js'

/**
 * A parameter's Go type: the argument is checked against it as reflect would. 'any' is
 * interface{} (a missing value arrives as nil); 'value' is reflect.Value, which the
 * builtins take (a missing value stays missing).
 */
export type ParamType = 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'any' | 'value'

export interface GoFunction {
  params: ParamType[]
  /** The type of the ...rest parameter, when the function is variadic. */
  variadic?: ParamType
  /** May throw FuncError, which becomes "error calling NAME: MSG". */
  call: (args: GoValue[]) => GoValue
}

export class FuncError extends Error {}

/** A function the template may name but this implementation cannot run. */
export class Unsupported extends Error {
  constructor(readonly function_: string) {
    super(`the function ${function_} is not implemented`)
  }
}

type RangeNode = { t: 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }

const MISSING = Symbol('missing')
type Final = GoValue | typeof MISSING

class BreakSignal {}
class ContinueSignal {}

export function execute(tmpl: Template, data: GoValue, funcs: Map<string, GoFunction>): string {
  const out: string[] = []
  let at: { pos: number; text: string } | undefined
  let vars: [string, GoValue][] = [['$', data]]

  const errorf = (msg: string): never => {
    if (!at) throw new TemplateError(`template: ${tmpl.name}: ${msg}`)
    const before = tmpl.text.slice(0, at.pos)
    const nl = before.lastIndexOf('\n')
    const line = 1 + (before.match(/\n/g)?.length ?? 0)
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1), 'utf8')
    throw new TemplateError(`template: ${tmpl.name}:${line}:${col}: executing ${JSON.stringify(tmpl.name)} at <${at.text}>: ${msg}`)
  }
  const setAt = (pos: number, text: string): void => {
    at = { pos, text }
  }

  const walk = (dot: GoValue, nodes: Node[]): void => {
    for (const node of nodes) walkOne(dot, node)
  }

  const walkOne = (dot: GoValue, node: Node): void => {
    switch (node.t) {
      case 'text':
        out.push(node.text)
        return
      case 'action': {
        setAt(node.pos, `{{${argString(node.pipe)}}}`)
        const v = evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0) out.push(printable(v))
        return
      }
      case 'if':
      case 'with': {
        const mark = vars.length
        const v = evalPipeline(dot, node.pipe)
        const truth = isTrue(v)
        if (truth) walk(node.t === 'with' ? v : dot, node.list)
        else if (node.elseList) walk(dot, node.elseList)
        vars = vars.slice(0, mark)
        return
      }
      case 'range':
        walkRange(dot, node as RangeNode)
        return
      case 'break':
        throw new BreakSignal()
      case 'continue':
        throw new ContinueSignal()
      case 'template': {
        setAt(node.pos, `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${argString(node.pipe)}` : ''}}}`)
        const body = tmpl.defined.get(node.name)
        if (!body) return errorf(`template ${JSON.stringify(node.name)} not defined`)
        const newDot = node.pipe ? evalPipeline(dot, node.pipe) : undefined
        const saved = vars
        vars = [['$', newDot]]
        walk(newDot, body)
        vars = saved
      }
    }
  }

  const walkRange = (dot: GoValue, node: RangeNode): void => {
    setAt(node.pos, `{{range ${argString(node.pipe)}}}`)
    const outer = vars.length
    const val = evalPipeline(dot, node.pipe)
    const mark = vars.length
    const one = (index: GoValue, elem: GoValue): boolean => {
      if (node.pipe.decl.length > 0) (vars[mark - 1] as [string, GoValue])[1] = elem
      if (node.pipe.decl.length > 1) (vars[mark - 2] as [string, GoValue])[1] = index
      try {
        walk(elem, node.list)
      } catch (e) {
        if (e instanceof BreakSignal) return false
        if (!(e instanceof ContinueSignal)) throw e
      } finally {
        vars = vars.slice(0, mark)
      }
      return true
    }
    let iterated = false
    if (isObject(val) && val.kind === 'slice') {
      iterated = val.items.length > 0
      for (let i = 0; i < val.items.length; i++) if (!one(i, val.items[i])) break
    } else if (isObject(val) && val.kind === 'map') {
      iterated = val.entries.length > 0
      for (const [k, v] of sortedEntries(val)) if (!one(k, v)) break
    } else if (typeof val === 'number') {
      // Go 1.22: range over an integer.
      iterated = val > 0
      for (let i = 0; i < val; i++) if (!one(i, i)) break
    } else if (val !== undefined && val !== null) {
      errorf(`range can't iterate over ${sprintValue(val)}`)
    }
    if (!iterated && node.elseList) walk(dot, node.elseList)
    vars = vars.slice(0, outer)
  }

  const evalPipeline = (dot: GoValue, pipe: Pipe): GoValue => {
    let value: Final = MISSING
    for (const cmd of pipe.cmds) value = evalCommand(dot, cmd, value)
    const v = value === MISSING ? undefined : value
    for (const name of pipe.decl) {
      if (pipe.isAssign) {
        const slot = [...vars].reverse().find((x) => x[0] === name)
        if (slot) slot[1] = v
        else errorf(`undefined variable: ${name}`)
      } else vars.push([name, v])
    }
    return v
  }

  const evalCommand = (dot: GoValue, cmd: Command, final: Final): GoValue => {
    const first = cmd.args[0] as Arg
    switch (first.t) {
      case 'field':
        setAt(first.pos, argString(first))
        return evalFieldChain(dot, dot, first, first.ident, cmd.args, final)
      case 'chain': {
        setAt(first.pos, argString(first))
        if (first.node.t === 'nil') errorf(`indirection through explicit nil in ${argString(first)}`)
        const recv = evalArg(dot, 'value', first.node)
        return evalFieldChain(dot, recv, first, first.field, cmd.args, final)
      }
      case 'identifier':
        return evalFunction(dot, first, cmd, cmd.args, final)
      case 'pipe':
        return evalPipeline(dot, first)
      case 'variable':
        return evalVariable(dot, first, cmd.args, final)
    }
    setAt(first.pos, argString(first))
    if (cmd.args.length > 1 || final !== MISSING) errorf(`can't give argument to non-function ${argString(first)}`)
    switch (first.t) {
      case 'bool':
        return first.value
      case 'dot':
        return dot
      case 'nil':
        return errorf('nil is not a command')
      case 'number':
        return idealConstant(first.text)
      case 'string':
        return first.value
    }
  }

  const idealConstant = (text: string): GoValue => {
    const clean = text.replace(/_/g, '')
    const isHex = /^[+-]?0[xX]/.test(clean)
    if (!isHex && /[.eE]/.test(clean)) return new GoFloat(Number(clean))
    const n = /^[+-]?0[oO]/.test(clean) ? parseInt(clean.replace(/0[oO]/, ''), 8) : /^[+-]?0[bB]/.test(clean) ? parseInt(clean.replace(/0[bB]/, ''), 2) : /^[+-]?0[0-7]+$/.test(clean) ? parseInt(clean, 8) : Number(clean)
    if (!Number.isSafeInteger(n)) errorf(`${text} overflows int`)
    return n
  }

  const evalVariable = (dot: GoValue, v: Extract<Arg, { t: 'variable' }>, args: Arg[] | undefined, final: Final): GoValue => {
    setAt(v.pos, argString(v))
    const value = varValue(v.ident[0] as string)
    if (v.ident.length === 1) {
      if ((args && args.length > 1) || final !== MISSING) errorf(`can't give argument to non-function ${argString(v)}`)
      return value
    }
    return evalFieldChain(dot, value, v, v.ident.slice(1), args, final)
  }

  const varValue = (name: string): GoValue => {
    for (let i = vars.length - 1; i >= 0; i--) if ((vars[i] as [string, GoValue])[0] === name) return (vars[i] as [string, GoValue])[1]
    return errorf(`undefined variable: ${name}`)
  }

  const evalFieldChain = (dot: GoValue, receiver: GoValue, node: Arg, ident: string[], args: Arg[] | undefined, final: Final): GoValue => {
    let r = receiver
    for (let i = 0; i < ident.length - 1; i++) r = evalField(dot, ident[i] as string, node, undefined, MISSING, r)
    return evalField(dot, ident[ident.length - 1] as string, node, args, final, r)
  }

  const evalField = (dot: GoValue, name: string, node: Arg, args: Arg[] | undefined, final: Final, receiver: GoValue): GoValue => {
    if (receiver === undefined) return undefined
    const typ = typeOf(receiver)
    if (receiver === null) return errorf(`nil pointer evaluating interface {}.${name}`)
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING
    if (isObject(receiver) && receiver.kind === 'struct') {
      const method = receiver.methods?.[name]
      if (method) return callFunction(dot, { params: [], call: () => method() }, name, node, args, final)
      const field = findField(receiver, name)
      if (field.found) {
        if (hasArgs) errorf(`${name} has arguments but cannot be invoked as function`)
        return field.value
      }
    }
    if (isObject(receiver) && receiver.kind === 'map' && receiver.stringKeys) {
      if (hasArgs) errorf(`${name} is not a method but has arguments`)
      return receiver.entries.find(([k]) => k === name)?.[1]
    }
    return errorf(`can't evaluate field ${name} in type ${typ}`)
  }

  const evalFunction = (dot: GoValue, node: Extract<Arg, { t: 'identifier' }>, cmd: Command | Arg, args: Arg[] | undefined, final: Final): GoValue => {
    setAt(node.pos, node.name)
    const fn = funcs.get(node.name)
    if (!fn) return errorf(`${JSON.stringify(node.name)} is not a defined function`)
    return callFunction(dot, fn, node.name, cmd, args, final)
  }

  const callFunction = (dot: GoValue, fn: GoFunction, name: string, node: Command | Arg, argNodes: Arg[] | undefined, final: Final): GoValue => {
    const args = argNodes ? argNodes.slice(1) : []
    const numIn = args.length + (final !== MISSING ? 1 : 0)
    const numFixed = fn.variadic !== undefined ? fn.params.length : args.length
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`)
    } else if (numIn !== fn.params.length) errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`)
    // and/or short-circuit and return an argument itself.
    if (name === 'and' || name === 'or') {
      let v: GoValue
      for (const a of args) {
        v = evalArg(dot, 'value', a)
        if (isTrue(v) === (name === 'or')) return v
      }
      if (final !== MISSING) v = final
      return v
    }
    const argv: GoValue[] = []
    let i = 0
    for (; i < numFixed && i < args.length; i++) argv.push(evalArg(dot, fn.params[i] as ParamType, args[i] as Arg))
    if (fn.variadic !== undefined) for (; i < args.length; i++) argv.push(evalArg(dot, fn.variadic, args[i] as Arg))
    if (final !== MISSING) {
      const t = fn.variadic !== undefined && numIn - 1 >= numFixed ? fn.variadic : (fn.params[numIn - 1] ?? 'any')
      argv.push(validateType(final, t))
    }
    try {
      return fn.call(argv)
    } catch (e) {
      if (e instanceof FuncError) {
        setAt(node.pos, argString(node))
        return errorf(`error calling ${name}: ${e.message}`)
      }
      throw e
    }
  }

  const validateType = (v: GoValue, t: ParamType): GoValue => {
    if (t === 'value') return v
    if (t === 'any') return v === undefined ? null : v
    if (v === undefined || v === null) return errorf(`invalid value; expected ${t === 'int64' ? 'int64' : t}`)
    const actual = typeOf(v)
    const wanted = t === 'float64' ? 'float64' : t === 'int64' ? 'int64' : t
    if (actual !== wanted && !(t === 'int64' && actual === 'int')) errorf(`wrong type for value; expected ${wanted}; got ${actual}`)
    return v
  }

  const evalArg = (dot: GoValue, t: ParamType, n: Arg): GoValue => {
    setAt(n.pos, argString(n))
    switch (n.t) {
      case 'dot':
        return validateType(dot, t)
      case 'nil':
        if (t === 'any' || t === 'value') return null
        return errorf(`cannot assign nil to ${t}`)
      case 'field':
        return validateType(evalFieldChain(dot, dot, n, n.ident, [n], MISSING), t)
      case 'variable':
        return validateType(evalVariable(dot, n, undefined, MISSING), t)
      case 'pipe':
        return validateType(evalPipeline(dot, n), t)
      case 'identifier':
        return validateType(evalFunction(dot, n, n, undefined, MISSING), t)
      case 'chain': {
        if (n.node.t === 'nil') errorf(`indirection through explicit nil in ${argString(n)}`)
        return validateType(evalFieldChain(dot, evalArg(dot, 'value', n.node), n, n.field, undefined, MISSING), t)
      }
    }
    switch (t) {
      case 'bool':
        if (n.t === 'bool') return n.value
        return errorf(`expected bool; found ${argString(n)}`)
      case 'string':
        if (n.t === 'string') return n.value
        return errorf(`expected string; found ${argString(n)}`)
      case 'int':
      case 'int64': {
        const v = n.t === 'number' ? idealConstant(n.text) : undefined
        if (typeof v === 'number') return v
        return errorf(`expected integer; found ${argString(n)}`)
      }
      case 'float64': {
        if (n.t === 'number') {
          const v = idealConstant(n.text)
          return new GoFloat(v instanceof GoFloat ? v.v : (v as number))
        }
        return errorf(`expected float; found ${argString(n)}`)
      }
      case 'any':
      case 'value':
        if (n.t === 'bool') return n.value
        if (n.t === 'number') return idealConstant(n.text)
        if (n.t === 'string') return n.value
    }
    return errorf(`can't handle ${argString(n)} for arg of type ${t}`)
  }

  const printable = (v: GoValue): string => {
    if (v === undefined) return '<no value>'
    if (isObject(v) && v.kind === 'func') errorf(`can't print ${at?.text ?? ''} of type ${v.type}`)
    return sprintValue(v)
  }

  walk(data, tmpl.root)
  return out.join('')
}

function findField(s: Extract<GoValue, { kind: 'struct' }>, name: string): { found: boolean; value?: GoValue } {
  for (const f of s.fields) if (f.name === name) return { found: true, value: f.value }
  for (const f of s.fields) {
    if (f.embedded && isObject(f.value) && f.value.kind === 'struct') {
      const inner = findField(f.value, name)
      if (inner.found) return inner
    }
  }
  return { found: false }
}

/** text/template's truth: not the zero value of its type; structs are always true. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'string') return v.length > 0
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (v instanceof GoFloat) return v.v !== 0
  if (v.kind === 'slice') return v.items.length > 0
  if (v.kind === 'map') return v.entries.length > 0
  return true
}

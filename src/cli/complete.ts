// Shell completion in Cobra's `__complete` protocol, which oclif does not speak. The flux CLI
// (2.9+) completes `flux imgauto <TAB>` by running `flux-imgauto __complete <args…> <word>`
// and reading the answer as Cobra prints it (fluxcd/flux2 internal/plugin/completion.go):
// one candidate per line, "value\tdescription", then ":<directive>". kubectl's plugin
// completion (kubectl_complete-<plugin>) and our own bash/zsh/fish scripts use the same answer.

/** cobra.ShellCompDirective bits. */
export const DIRECTIVE = { default: 0, error: 1, noSpace: 2, noFileComp: 4, filterFileExt: 8, filterDirs: 16, keepOrder: 32 } as const

const DIRECTIVE_NAMES: [number, string][] = [
  [DIRECTIVE.error, 'ShellCompDirectiveError'],
  [DIRECTIVE.noSpace, 'ShellCompDirectiveNoSpace'],
  [DIRECTIVE.noFileComp, 'ShellCompDirectiveNoFileComp'],
  [DIRECTIVE.filterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [DIRECTIVE.filterDirs, 'ShellCompDirectiveFilterDirs'],
  [DIRECTIVE.keepOrder, 'ShellCompDirectiveKeepOrder'],
]

/** What completion needs of a command: oclif's loaded command metadata has this shape. */
export interface CompletableCommand {
  id: string
  hidden?: boolean
  summary?: string
  description?: string
  flags: Record<string, { name: string; type: 'boolean' | 'option'; char?: string; summary?: string; description?: string; options?: readonly string[]; hidden?: boolean; allowNo?: boolean; multiple?: boolean }>
  args: Record<string, { name: string; description?: string; options?: readonly string[] }>
}

export interface Candidate {
  value: string
  description?: string
}

export interface Completion {
  candidates: Candidate[]
  directive: number
}

/** What else completion shows: topic descriptions, and names that cost no more than a file read. */
export interface NameSources {
  /** Topic (command group) descriptions, by topic id. */
  topics?: Record<string, string | undefined>
  /** The contexts of the kubeconfig the command line would use. */
  contexts: (words: readonly string[]) => string[]
}

// Flags whose value is a path: the shell's own file completion answers them.
const PATH_FLAG = /(^|-)(file|kubeconfig|snapshot|output|repo|config|out|from|insert|path)$/
// Arguments that are paths, by their name.
const PATH_ARG = new Set(['path'])

const firstLine = (s: string | undefined): string | undefined => s?.split('\n')[0]?.replace(/\t/g, ' ').trim() || undefined

/**
 * The candidates for `toComplete`, after the words before it. Pure: what it needs from the
 * machine (kubeconfig contexts) comes through `names`.
 */
export function complete(commands: readonly CompletableCommand[], words: readonly string[], toComplete: string, names: NameSources): Completion {
  const visible = commands.filter((c) => !c.hidden)
  // The command id: leading words that name a command or a topic (oclif's space separator).
  let id = ''
  let consumed = 0
  for (const w of words) {
    const next = id ? `${id}:${w}` : w
    if (w.startsWith('-') || !visible.some((c) => c.id === next || c.id.startsWith(`${next}:`))) break
    id = next
    consumed++
  }
  const command = visible.find((c) => c.id === id)
  if (!command) {
    if (toComplete.startsWith('-')) return done(filter([{ value: '--help', description: 'Show help.' }, { value: '--version', description: 'Show the version.' }], toComplete), DIRECTIVE.noFileComp)
    const next = new Map<string, string | undefined>()
    for (const c of visible) {
      if (id && !c.id.startsWith(`${id}:`)) continue
      const segment = c.id.slice(id ? id.length + 1 : 0).split(':')[0] as string
      const full = id ? `${id}:${segment}` : segment
      const own = visible.find((x) => x.id === full)
      if (!next.has(segment) || own) next.set(segment, firstLine(own ? (own.summary ?? own.description) : names.topics?.[full]))
    }
    return done(filter([...next].map(([value, description]) => ({ value, ...(description ? { description } : {}) })), toComplete), DIRECTIVE.noFileComp)
  }

  const rest = words.slice(consumed)
  const flags = Object.values(command.flags).filter((f) => !f.hidden)
  const byToken = (token: string) => flags.find((f) => token === `--${f.name}` || (f.char !== undefined && token === `-${f.char}`))

  // --flag=<partial>
  const eq = /^(--[^=]+)=(.*)$/.exec(toComplete)
  if (eq) {
    const flag = byToken(eq[1] as string)
    if (!flag || flag.type === 'boolean') return done([], DIRECTIVE.noFileComp)
    const values = flagValues(flag, rest, names, eq[2] as string)
    return { candidates: values.candidates.map((c) => ({ ...c, value: `${eq[1]}=${c.value}` })), directive: values.directive }
  }
  // The value of the flag just before.
  const previous = rest.at(-1)
  const pending = previous !== undefined && !previous.includes('=') ? byToken(previous) : undefined
  if (pending && pending.type === 'option') return flagValues(pending, rest, names, toComplete)

  if (toComplete.startsWith('-')) {
    const used = new Set(rest.map((w) => w.split('=')[0]))
    const out: Candidate[] = []
    for (const f of flags) {
      if (!f.multiple && (used.has(`--${f.name}`) || (f.char && used.has(`-${f.char}`)))) continue
      const description = firstLine(f.summary ?? f.description)
      out.push({ value: `--${f.name}`, ...(description ? { description } : {}) })
      if (f.allowNo) out.push({ value: `--no-${f.name}`, ...(description ? { description } : {}) })
      // Cobra offers the short form only for a lone "-".
      if (f.char && toComplete === '-') out.push({ value: `-${f.char}`, ...(description ? { description } : {}) })
    }
    out.push({ value: '--help', description: 'Show help.' })
    return done(filter(out, toComplete), DIRECTIVE.noFileComp)
  }

  // A positional argument: count those already given (words that are neither flags nor their values).
  let position = 0
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string
    if (w.startsWith('-')) {
      const f = byToken(w)
      if (f?.type === 'option' && !w.includes('=')) i++
      continue
    }
    position++
  }
  const arg = Object.values(command.args)[position]
  if (!arg) return done([], DIRECTIVE.noFileComp)
  if (arg.options) return done(filter(arg.options.map((value) => ({ value })), toComplete), DIRECTIVE.noFileComp)
  return done([], PATH_ARG.has(arg.name) ? DIRECTIVE.default : DIRECTIVE.noFileComp)
}

function flagValues(flag: CompletableCommand['flags'][string], words: readonly string[], names: NameSources, partial: string): Completion {
  if (flag.options) return done(filter(flag.options.map((value) => ({ value })), partial), DIRECTIVE.noFileComp)
  if (flag.name === 'context') return done(filter(names.contexts(words).map((value) => ({ value })), partial), DIRECTIVE.noFileComp)
  return done([], PATH_FLAG.test(flag.name) ? DIRECTIVE.default : DIRECTIVE.noFileComp)
}

const filter = (candidates: Candidate[], partial: string): Candidate[] => candidates.filter((c) => c.value.startsWith(partial))
const done = (candidates: Candidate[], directive: number): Completion => ({ candidates, directive })

/** The answer as Cobra prints it on stdout, and the line it prints on stderr. */
export function formatCobra(c: Completion, descriptions: boolean): { stdout: string; stderr: string } {
  const lines = c.candidates.map((x) => (descriptions && x.description ? `${x.value}\t${x.description}` : x.value))
  const names = DIRECTIVE_NAMES.filter(([bit]) => (c.directive & bit) !== 0).map(([, n]) => n)
  return { stdout: [...lines, `:${c.directive}`].join('\n') + '\n', stderr: `Completion ended with directive: ${names.join(', ') || 'ShellCompDirectiveDefault'}\n` }
}

// The YAML limits, set once for both readers: the `yaml` package (objects: manifests, lint's
// objects, scaffold --from; src/core/yaml/read.ts) and the yaml.v3 port (the marker files
// trace, preview and scaffold --insert read; src/core/yamlv3). Each is documented in the
// README (Limits) and ends in one `ERR_YAML` line with the reason.
//
// Flux's own reader (go-yaml v3) refuses flow or indentation nesting past 10,000 levels and
// decodes aliases without expanding them; nothing real comes near these limits (the API server
// refuses an object over 1.5 MiB).

export const YAML_LIMITS = {
  /** Characters in one YAML input (a file, or standard input). */
  size: 256 * 1024 * 1024,
  /** Documents in one input. */
  documents: 200_000,
  /** Mappings and sequences nested in one another. */
  depth: 200,
  /** Characters in one scalar. */
  scalar: 16 * 1024 * 1024,
  /** Alias nodes (`*name`) in one document. */
  aliases: 10_000,
  /** Nodes that aliases may add when a document is read into plain data (`yaml`'s maxAliasCount). */
  aliasExpansion: 100_000,
} as const

export const YAML_LIMIT_HINT = 'The YAML limits are listed in the README (Limits); split the input, or remove the structure named.'

/** A limit passed, at a 1-based line when known; the reader that knows the file names it. */
export class YamlLimitError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
  ) {
    super(reason)
  }
}

export const limitReason = {
  size: (chars: number): string => `${mib(chars)} of YAML, over the limit of ${mib(YAML_LIMITS.size)}`,
  documents: (): string => `more than ${count(YAML_LIMITS.documents)} documents, the limit for one input`,
  depth: (): string => `mappings and sequences nested more than ${YAML_LIMITS.depth} deep, the limit`,
  scalar: (chars: number): string => `a scalar of ${mib(chars)}, over the limit of ${mib(YAML_LIMITS.scalar)}`,
  aliases: (): string => `more than ${count(YAML_LIMITS.aliases)} aliases in one document, the limit`,
  aliasExpansion: (): string => `aliases expand to more than ${count(YAML_LIMITS.aliasExpansion)} nodes, the limit (an "alias bomb")`,
}

function mib(chars: number): string {
  return `${(chars / 1024 / 1024).toFixed(chars < 1024 * 1024 ? 2 : 0)} MiB`
}

function count(n: number): string {
  return n.toLocaleString('en')
}

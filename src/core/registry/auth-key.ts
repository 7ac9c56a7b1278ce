// Which docker config auths key holds the credentials for an image, as Flux picks it:
// image-reflector-controller hands spec.secretRef to go-containerregistry's
// pkg/authn/kubernetes keychain, a copy of kubelet's credentialprovider keyring. A key is
// host[:port][/path] (a scheme and a leading /v1/ or /v2/ are dropped); it matches the image
// registry/repository when the port is the same, the host has as many dot-separated labels,
// each label matches its glob (Go's filepath.Match: `*` and `?` never cross a label, `[a-z]`
// classes, `\` escapes), and the key's path is a string prefix of the image's path. Keys are
// tried in reverse sorted order, so a longer key beats the shorter one it starts with.
// Docker Hub images are index.docker.io/… to the keychain (go-containerregistry's name package
// rewrites docker.io), so a key written docker.io or registry-1.docker.io does not apply to
// them, in Flux as in the docker CLI; https://index.docker.io/v1/, the CLI's own key, does.
//
// The glob matcher is hand-written in the shape of Go's filepath.Match: each run between
// stars is placed at its leftmost fit, once, never backtracked over. A pattern of p
// characters against a label of n costs at most p×n steps, where a regular expression built
// from the glob backtracks exponentially in the number of stars (ten took 35 s).

interface Address {
  labels: string[]
  port: string
  path: string
}

/** A docker config key as kubelet reads it. */
function keyAddress(key: string): Address {
  const rest = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  const slash = rest.indexOf('/')
  const authority = slash < 0 ? rest : rest.slice(0, slash)
  let path = slash < 0 ? '' : rest.slice(slash)
  // The docker client treats host/v1/ and host/v2/ as the host itself.
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3)
  if (path === '/') path = ''
  return { ...hostPort(authority), path }
}

/** registry/repository as the keychain sees the image. */
function imageAddress(registry: string, repository: string): Address {
  return { ...hostPort(registry), path: `/${repository}` }
}

// net.SplitHostPort as kubelet uses it: a port only when there is one colon outside brackets.
function hostPort(authority: string): { labels: string[]; port: string } {
  let host = authority.toLowerCase()
  let port = ''
  const colons = host.split(':').length - 1
  if (colons === 1 || (colons >= 2 && host.includes(']:'))) {
    const at = host.lastIndexOf(':')
    port = host.slice(at + 1)
    host = host.slice(0, at).replace(/^\[(.*)\]$/, '$1')
  }
  return { labels: host.split('.'), port }
}

/** Whether the auths key `key` applies to the image registry/repository. */
export function authKeyMatches(key: string, registry: string, repository: string): boolean {
  const glob = keyAddress(key)
  const target = imageAddress(registry, repository)
  if (glob.port !== target.port || glob.labels.length !== target.labels.length) return false
  if (!target.path.startsWith(glob.path)) return false
  return glob.labels.every((label, i) => globMatch(label, target.labels[i] as string))
}

/** The keys in the order the keychain tries them: reverse sorted, longer and literal keys first. */
export function authKeyOrder(keys: string[]): string[] {
  const canonical = (k: string): string => {
    const a = keyAddress(k)
    return `${a.labels.join('.')}${a.port ? `:${a.port}` : ''}${a.path}`
  }
  return [...keys].sort((a, b) => {
    const ka = canonical(a)
    const kb = canonical(b)
    return ka < kb ? 1 : ka > kb ? -1 : 0
  })
}

/** Go's filepath.Match for one label (which holds no separator). A malformed pattern matches nothing. */
export function globMatch(pattern: string, name: string): boolean {
  const p = Array.from(pattern)
  const s = Array.from(name)
  let pi = 0
  let si = 0
  while (pi < p.length) {
    let star = false
    while (p[pi] === '*') {
      pi++
      star = true
    }
    const from = pi
    pi = chunkEnd(p, pi)
    const last = pi === p.length
    // A trailing star takes the rest of the label.
    if (star && from === pi) return true
    const here = matchChunk(p, from, pi, s, si)
    if (here >= 0 && (here === s.length || !last)) {
      si = here
      continue
    }
    if (!star) return false
    // The star takes 1, 2, … characters; the first fit is kept (the last chunk must end the label).
    let placed = false
    for (let start = si + 1; start <= s.length; start++) {
      const at = matchChunk(p, from, pi, s, start)
      if (at < 0 || (last && at < s.length)) continue
      si = at
      placed = true
      break
    }
    if (!placed) return false
  }
  return si === s.length
}

// Where the run of pattern after a star ends: at the next star outside a [class].
function chunkEnd(p: string[], i: number): number {
  let inClass = false
  for (; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      if (i + 1 < p.length) i++
    } else if (c === '[') inClass = true
    else if (c === ']') inClass = false
    else if (c === '*' && !inClass) break
  }
  return i
}

// Matches p[from, to) (no stars outside classes) at s[si]: the index after the match, or -1.
function matchChunk(p: string[], from: number, to: number, s: string[], si: number): number {
  let k = from
  while (k < to) {
    const c = p[k] as string
    if (c === '[') {
      if (si >= s.length) return -1
      const r = (s[si] as string).codePointAt(0) as number
      si++
      k++
      let negated = false
      if (k < to && p[k] === '^') {
        negated = true
        k++
      }
      let matched = false
      for (let ranges = 0; ; ranges++) {
        if (k < to && p[k] === ']' && ranges > 0) {
          k++
          break
        }
        const lo = classChar(p, k, to)
        if (!lo) return -1
        k = lo.next
        let hi = lo.code
        if (p[k] === '-') {
          const upper = classChar(p, k + 1, to)
          if (!upper) return -1
          k = upper.next
          hi = upper.code
        }
        if (lo.code <= r && r <= hi) matched = true
      }
      if (matched === negated) return -1
    } else if (c === '?') {
      if (si >= s.length) return -1
      si++
      k++
    } else {
      let literal = c
      if (c === '\\') {
        k++
        if (k >= to) return -1
        literal = p[k] as string
      }
      if (si >= s.length || s[si] !== literal) return -1
      si++
      k++
    }
  }
  return si
}

// One character of a [class], escapes resolved; undefined where Go reports ErrBadPattern.
function classChar(p: string[], k: number, to: number): { code: number; next: number } | undefined {
  if (k >= to || p[k] === '-' || p[k] === ']') return undefined
  if (p[k] === '\\') {
    k++
    if (k >= to) return undefined
  }
  const code = (p[k] as string).codePointAt(0) as number
  // Go requires the class to go on after each character (a closing "]" at the least).
  if (k + 1 >= to) return undefined
  return { code, next: k + 1 }
}

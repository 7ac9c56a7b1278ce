// Where a registry's credentials may go. They are configured for one registry, so they are
// sent to its origin only: scheme, host and port (a default port written or not is the same
// port). go-containerregistry, which Flux scans with, draws the same line: its transports
// attach Authorization only to requests for the registry's host:port (bearer.go matchesHost,
// basic.go), its schemeTransport pins that host to the scheme the ping chose, and from
// v0.21.7 list.go refuses a next-page Link on another scheme or host outright
// (validatePaginationURL: "potential SSRF attack"). flux-imgauto refuses such a Link too,
// rather than follow it without credentials as v0.21.6 (image-reflector-controller v1.2.0)
// does: a registry that pages onto another host is broken or hostile either way.
//
// The one place credentials leave the registry's origin is its Bearer token realm: the
// Docker token protocol has the registry name the token server (Docker Hub's realm is
// auth.docker.io), and go-containerregistry sends the registry's Basic credentials there
// (refreshBasic, basicTransport target = the realm host). Which realms it accepts is
// validateRealmURL (bearer.go, in v0.21.4 and later, so in Flux v1.2): https, or http only for
// a registry reached over http; any host, except that an IP literal in a loopback, private,
// link-local or unspecified range is refused unless it is the registry's own host:port.
// flux-imgauto applies the same rule and also counts the name localhost (and *.localhost),
// which is loopback by definition (RFC 6761) with no DNS to consult; go-containerregistry
// leaves names to network controls because it cannot resolve them safely.

/** scheme://host[:port] of a URL, default ports dropped, for comparing origins. */
export function originOf(url: string): string {
  return new URL(url).origin
}

export function sameOrigin(a: string, b: string): boolean {
  return originOf(a) === originOf(b)
}

/**
 * Why a Bearer realm may not receive the registry's credentials, or undefined when it may.
 * `registryUrl` is a URL on the registry as it is being read (its scheme says whether the
 * registry is plain HTTP).
 */
export function realmRefusal(realm: string, registryUrl: string): string | undefined {
  let u: URL
  try {
    u = new URL(realm)
  } catch {
    return 'it is not a URL'
  }
  const registry = new URL(registryUrl)
  if (u.protocol === 'http:') {
    if (registry.protocol !== 'http:') return 'it is plain http while the registry is read over https'
  } else if (u.protocol !== 'https:') {
    return `its scheme ${u.protocol.replace(/:$/, '')} is neither https nor http`
  }
  if (u.host === registry.host) return undefined
  const host = u.hostname.replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return `its host ${host} is a loopback name`
  const range = ipRange(host)
  return range ? `its host ${host} is ${/^[aeiou]/.test(range) ? 'an' : 'a'} ${range} address` : undefined
}

// Go's net.IP IsLoopback, IsPrivate, IsLinkLocalUnicast, IsLinkLocalMulticast and
// IsUnspecified, for the address forms the WHATWG URL parser leaves in a hostname.
function ipRange(host: string): string | undefined {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)
  if (v4) return ipv4Range(v4.slice(1).map(Number))
  if (!host.startsWith('[')) return undefined
  const words = ipv6Words(host.slice(1, -1))
  if (!words) return undefined
  // An IPv4-mapped address (::ffff:a.b.c.d) is judged as the IPv4 address, as Go does.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    const [hi, lo] = [words[6] as number, words[7] as number]
    return ipv4Range([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
  }
  const [first] = words as [number]
  if (words.every((w) => w === 0)) return 'unspecified'
  if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return 'loopback'
  if ((first & 0xfe00) === 0xfc00) return 'private'
  if ((first & 0xffc0) === 0xfe80) return 'link-local'
  if ((first & 0xff0f) === 0xff02) return 'link-local multicast'
  return undefined
}

function ipv4Range([a, b, c, d]: number[]): string | undefined {
  if (a === 127) return 'loopback'
  if (a === 10 || (a === 172 && (b as number) >= 16 && (b as number) <= 31) || (a === 192 && b === 168)) return 'private'
  if (a === 169 && b === 254) return 'link-local'
  if (a === 224 && b === 0 && c === 0) return 'link-local multicast'
  if (a === 0 && b === 0 && c === 0 && d === 0) return 'unspecified'
  return undefined
}

// The eight 16-bit words of an IPv6 address as the URL parser serialises it (hex, with at most one "::").
function ipv6Words(text: string): number[] | undefined {
  const [left, right, ...more] = text.split('::')
  if (more.length > 0 || left === undefined) return undefined
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)))
  const head = parse(left)
  const tail = right === undefined ? [] : parse(right)
  const zeros = 8 - head.length - tail.length
  if (zeros < 0 || (right === undefined && zeros !== 0)) return undefined
  return [...head, ...Array<number>(zeros).fill(0), ...tail]
}

// An ImageRepository's spec.image as image-reflector-controller reads it
// (internal/registry/helper.go ParseImageReference, go-containerregistry's name package):
// no URL scheme, no tag, Docker Hub names completed to index.docker.io/library/….

export interface ImageName {
  /** As given in spec.image. */
  image: string
  /** The registry host[:port]; Docker Hub is index.docker.io. */
  registry: string
  /** The repository path on that registry. */
  repository: string
  /** registry/repository, as Flux's status.canonicalImageName shows it. */
  canonical: string
}

export type ImageParse = { ok: true; name: ImageName } | { ok: false; message: string }

const DOCKER_HUB = 'index.docker.io'

export function parseImage(image: string): ImageParse {
  const scheme = image.split('://')
  if (scheme.length > 1) return { ok: false, message: `image '${image}' should not include URL scheme; remove '${scheme[0]}://'` }
  let registry = DOCKER_HUB
  let rest = image
  const slash = image.indexOf('/')
  if (slash >= 0) {
    const first = image.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first === 'docker.io' ? DOCKER_HUB : first
      rest = image.slice(slash + 1)
    }
  }
  const [path, digest] = rest.split('@') as [string, string | undefined]
  const tagAt = path.lastIndexOf(':')
  if (digest !== undefined) return { ok: false, message: `could not parse reference: ${image}` }
  if (tagAt >= 0) return { ok: false, message: `image '${image}' should not include a tag; remove ':${path.slice(tagAt + 1)}'` }
  let repository = path
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  if (!/^[a-z0-9_\-./]{2,255}$/.test(repository)) return { ok: false, message: `repository can only contain the characters \`abcdefghijklmnopqrstuvwxyz0123456789_-./\`: ${repository}` }
  return { ok: true, name: { image, registry, repository, canonical: `${registry}/${repository}` } }
}

/**
 * go-containerregistry's transport tries https first and falls back to http for registries
 * marked insecure, on loopback, on "localhost:" or in RFC 1918 ranges.
 */
export function schemesFor(registry: string, insecure: boolean): ('https' | 'http')[] {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  const local =
    registry.startsWith('localhost:') ||
    /^127\./.test(host) ||
    host === '::1' ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2[0-9]|3[01])\./.test(host)
  return insecure || local ? ['https', 'http'] : ['https']
}

export type CloudProvider = 'aws' | 'gcp' | 'azure'

/** The registry service each provider's hosts belong to, for messages. */
export const CLOUD_REGISTRY: Record<CloudProvider, string> = { aws: 'ECR', gcp: 'Artifact Registry / GCR', azure: 'ACR' }

/** The cloud whose registry this host belongs to, by its well-known host names. */
export function cloudOf(registry: string): CloudProvider | undefined {
  if (/^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(registry)) return 'aws'
  if (/^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/.test(registry)) return 'gcp'
  if (/\.azurecr\.(io|cn|de|us)$/.test(registry)) return 'azure'
  return undefined
}

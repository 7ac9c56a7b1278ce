// Where registry credentials come from, in the order a user expects: the ImageRepository's
// secretRef (a kubernetes.io/dockerconfigjson Secret), a docker config file (auths, then
// credHelpers / credsStore through the helper binary), or the cloud's own CLI for
// provider: aws | gcp | azure. Only what is needed to authenticate is kept; descriptions of
// what was found name sources and host keys, never a password or token.

import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { authKeyMatches, authKeyOrder } from '../../core/registry/auth-key.js'
import type { CloudProvider, ImageName } from '../../core/registry/image.js'
import type { Credentials } from './client.js'

export interface DockerAuth {
  auth?: string
  username?: string
  password?: string
  identitytoken?: string
  registrytoken?: string
}

export interface DockerConfig {
  auths?: Record<string, DockerAuth>
  credHelpers?: Record<string, string>
  credsStore?: string
}

export interface CredentialLookup {
  credentials?: Credentials
  /** Host keys the source holds (to spot a key written for another host). */
  keys: string[]
  /** What was looked at, for the report. */
  tried: string[]
  /** The username, when there is one (Harbor robot accounts need their "$"). */
  username?: string
}

// The entry for an image: the first key, in the keychain's order, that matches it.
function entryFor<T>(map: Record<string, T> | undefined, name: ImageName): T | undefined {
  const key = authKeyOrder(Object.keys(map ?? {})).find((k) => authKeyMatches(k, name.registry, name.repository))
  return key === undefined ? undefined : map?.[key]
}

export function fromDockerConfig(config: DockerConfig, name: ImageName, source: string): CredentialLookup {
  const keys = Object.keys(config.auths ?? {})
  const out: CredentialLookup = { keys, tried: [source] }
  const entry = entryFor(config.auths, name)
  if (!entry) return out
  if (entry.registrytoken) {
    out.credentials = { kind: 'bearer', token: entry.registrytoken, source }
    return out
  }
  let username = entry.username
  let password = entry.password
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon >= 0) {
      username = decoded.slice(0, colon)
      password = decoded.slice(colon + 1)
    }
  }
  if (username !== undefined && password !== undefined) {
    out.credentials = { kind: 'basic', username, password, source }
    out.username = username
  }
  return out
}

/** ~/.docker/config.json (or the file given), with credential helpers run when installed. */
export async function fromDockerConfigFile(path: string | undefined, name: ImageName): Promise<CredentialLookup | undefined> {
  const file = path ?? join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json')
  if (!existsSync(file)) return undefined
  let config: DockerConfig
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig
  } catch {
    return { keys: [], tried: [`${file} (not valid JSON)`] }
  }
  const lookup = fromDockerConfig(config, name, file)
  if (lookup.credentials) return lookup
  const helper = entryFor(config.credHelpers, name) ?? config.credsStore
  if (helper) {
    const viaHelper = await fromHelper(helper, name.registry)
    lookup.tried.push(viaHelper ? `docker-credential-${helper}` : `docker-credential-${helper} (not installed, or no entry for ${name.registry})`)
    if (viaHelper) {
      lookup.credentials = viaHelper
      if (viaHelper.kind === 'basic') lookup.username = viaHelper.username
    }
  }
  return lookup
}

async function fromHelper(helper: string, registry: string): Promise<Credentials | undefined> {
  const { execa } = await import('execa')
  try {
    const r = await execa(`docker-credential-${helper}`, ['get'], { input: registry, timeout: 10_000 })
    const body = JSON.parse(r.stdout) as { Username?: string; Secret?: string }
    if (!body.Secret) return undefined
    return body.Username === '<token>' ? { kind: 'bearer', token: body.Secret, source: `docker-credential-${helper}` } : { kind: 'basic', username: body.Username ?? '', password: body.Secret, source: `docker-credential-${helper}` }
  } catch {
    return undefined
  }
}

/** The data of a kubernetes.io/dockerconfigjson Secret, decoded. */
export function fromSecret(secret: { type?: string; data?: Record<string, string> }, secretName: string, name: ImageName): CredentialLookup {
  const source = `Secret ${secretName}`
  const raw = secret.data?.['.dockerconfigjson'] ?? secret.data?.['.dockercfg']
  if (!raw) return { keys: [], tried: [`${source} (type ${secret.type ?? 'unknown'}, no .dockerconfigjson key)`] }
  try {
    const json = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as DockerConfig & Record<string, DockerAuth>
    // .dockercfg is the old format: the auths map at the top level.
    const config: DockerConfig = secret.data?.['.dockerconfigjson'] ? json : { auths: json as Record<string, DockerAuth> }
    return fromDockerConfig(config, name, source)
  } catch {
    return { keys: [], tried: [`${source} (its docker config is not valid JSON)`] }
  }
}

const CLOUD_CLI: Record<CloudProvider, { bin: string; username: string; args: (registry: string) => string[]; how: string }> = {
  aws: {
    bin: 'aws',
    username: 'AWS',
    args: (registry) => ['ecr', 'get-login-password', '--region', registry.split('.')[3] ?? ''],
    how: 'aws ecr get-login-password --region <region> (with credentials for an IAM principal allowed ecr:GetAuthorizationToken)',
  },
  gcp: { bin: 'gcloud', username: 'oauth2accesstoken', args: () => ['auth', 'print-access-token'], how: 'gcloud auth print-access-token (after gcloud auth login)' },
  azure: {
    bin: 'az',
    username: '00000000-0000-0000-0000-000000000000',
    args: (registry) => ['acr', 'login', '--name', registry.split('.')[0] ?? '', '--expose-token', '--output', 'tsv', '--query', 'accessToken'],
    how: 'az acr login --name <registry> --expose-token (after az login)',
  },
}

/** A token from the cloud's CLI, or a description of what to run when it is not there. */
export async function fromCloudCli(provider: CloudProvider, registry: string): Promise<CredentialLookup & { missing?: string }> {
  const cli = CLOUD_CLI[provider]
  const { execa } = await import('execa')
  try {
    const r = await execa(cli.bin, cli.args(registry), { timeout: 30_000 })
    const token = r.stdout.trim()
    if (!token) throw new Error('empty token')
    return { keys: [], tried: [`${cli.bin} CLI`], credentials: { kind: 'basic', username: cli.username, password: token, source: `${cli.bin} CLI` } }
  } catch (e) {
    const notInstalled = (e as NodeJS.ErrnoException).code === 'ENOENT'
    return { keys: [], tried: [`${cli.bin} CLI (${notInstalled ? 'not installed' : 'failed'})`], missing: cli.how }
  }
}

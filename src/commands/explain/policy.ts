import { Args, Flags } from '@oclif/core'
import { IMAGE_POLICY, IMAGE_REPOSITORY, KubeReader } from '../../adapters/kube.js'
import { type KubeObject, readManifests } from '../../adapters/manifests.js'
import { tagsFromRegistry } from '../../adapters/registry/tags.js'
import { tagsFromFile, tagsFromStatus } from '../../adapters/tags.js'
import { BaseCommand, kubeFlags } from '../../cli/base.js'
import type { Finding, ToolError } from '../../core/findings/types.js'
import { explainPolicy, type ImagePolicyObject, type ImageRepositoryObject, type TagSource } from '../../core/policy/explain.js'
import { nameList } from '../../core/name-list.js'
import { CodedError } from '../../core/tool-error.js'
import { renderExplanation, type Show } from '../../render/explain.js'

export default class ExplainPolicy extends BaseCommand {
  static override summary = 'Replay an ImagePolicy over a tag list exactly as Flux does, with a verdict for every tag.'
  static override description =
    'Reads the ImagePolicy (and its ImageRepository) from the cluster or from files, replays the policy over the tags (exclusionList, filterTags pattern and extract, semver/numerical/alphabetical) with the semantics of image-reflector-controller v1.2, and reports the winner, the verdict for every tag, and findings for what is wrong or risky.'

  static override examples = [
    '<%= config.bin %> explain policy podinfo -n flux-system --tags-file tags.txt',
    '<%= config.bin %> explain policy apps/api',
    '<%= config.bin %> explain policy --file policy.yaml --tags-file - < tags.txt',
    '<%= config.bin %> explain policy --file policy.yaml --repository-file repo.yaml --show rejected --json',
  ]

  static override args = {
    // ignoreStdin: standard input is for --tags-file -, never an argument.
    name: Args.string({ ignoreStdin: true, description: 'The ImagePolicy: NAME (with -n) or NAMESPACE/NAME. Optional with --file when the file holds one policy.' }),
  }

  static override flags = {
    ...kubeFlags,
    file: Flags.string({ char: 'f', description: 'Read the ImagePolicy from this manifest (multi-document; an ImageRepository in it is used too) instead of the cluster.' }),
    'repository-file': Flags.string({ description: 'Read the ImageRepository from this manifest.' }),
    'tags-file': Flags.string({ description: "The tags to replay over: one per line or a JSON array; - for standard input. Default: the ImageRepository's registry, listed live." }),
    'no-registry': Flags.boolean({ description: "Never call the registry: without --tags-file, replay over the ImageRepository status (ten tags at most)." }),
    'docker-config': Flags.string({ description: 'Registry credentials from this docker config (default: ~/.docker/config.json); from the cluster, the ImageRepository secretRef is used.' }),
    'ca-file': Flags.string({ description: "A PEM CA to trust for the registry (from the cluster, the ImageRepository's certSecretRef is used)." }),
    'registry-timeout': Flags.integer({ default: 30, min: 1, description: 'Seconds to wait for each registry request.' }),
    show: Flags.option({ options: ['auto', 'all', 'candidates', 'rejected'] as const, default: 'auto' as const, description: 'Which tags to list: auto lists all of up to 30 tags, else the best candidates.' })(),
    limit: Flags.integer({ min: 0, description: 'At most this many tag rows (0 = no limit; default 20 for auto and candidates).' }),
    top: Flags.integer({ min: 0, default: 50, description: 'How many ranked candidates the result lists.' }),
    output: Flags.option({ char: 'o', options: ['table', 'json'] as const, default: 'table' as const, description: 'The report format (json: as --json).' })(),
  }

  protected kind(): string {
    return 'PolicyExplanation'
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ExplainPolicy)
    const errors: ToolError[] = []
    const extraFindings: Finding[] = []
    let policy: ImagePolicyObject
    let repository: ImageRepositoryObject | undefined
    let kube: KubeReader | undefined
    const fromCluster = flags.file === undefined

    if (flags.file !== undefined) {
      const objects = await readManifests(flags.file)
      policy = pickPolicy(objects, args.name, flags.file)
      const repoObjects = flags['repository-file'] !== undefined ? await readManifests(flags['repository-file']) : objects
      repository = pickRepository(repoObjects, policy)
    } else {
      if (args.name === undefined) throw new CodedError('ERR_USAGE', 'name an ImagePolicy (NAME with -n, or NAMESPACE/NAME), or pass --file')
      const [ns, name] = splitName(args.name)
      const namespace = ns ?? flags.namespace
      kube = await KubeReader.connect({ kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: flags['request-timeout'] * 1000 })
      policy = asPolicy(await kube.get(IMAGE_POLICY, namespace, name), namespace)
      const ref = policy.spec.imageRepositoryRef
      if (ref?.name) {
        const repoNs = ref.namespace ?? namespace
        try {
          repository = asRepository(await kube.get(IMAGE_REPOSITORY, repoNs, ref.name), repoNs)
        } catch (e) {
          if (!(e instanceof CodedError) || flags['tags-file'] === undefined) throw e
          errors.push(e.toToolError())
        }
      }
    }

    let tags: TagSource | undefined
    let registry: Awaited<ReturnType<typeof tagsFromRegistry>> | undefined
    if (flags['tags-file'] !== undefined) tags = await tagsFromFile(flags['tags-file'])
    else if (repository && !flags['no-registry']) {
      registry = await tagsFromRegistry(repository, { ...(kube ? { kube } : {}), ...(flags['docker-config'] ? { dockerConfig: flags['docker-config'] } : {}), ...(flags['ca-file'] ? { caFile: flags['ca-file'] } : {}), timeoutMs: flags['registry-timeout'] * 1000 })
      extraFindings.push(...registry.findings)
      errors.push(...registry.errors)
      tags = registry.source
    }
    if (tags === undefined) {
      if (repository?.status?.lastScanResult?.latestTags) tags = tagsFromStatus(repository)
      else {
        const why = extraFindings[0]
        if (why) throw new CodedError('ERR_REGISTRY', `${why.code} ${why.title}: ${why.message}`, why.fix)
        // A listing refused at a limit has no finding: its error says why.
        const failed = registry?.errors[0]
        if (failed) throw new CodedError('ERR_REGISTRY', failed.message, failed.suggestion)
        throw new CodedError('ERR_USAGE', 'no tags to replay: pass --tags-file, or give an ImageRepository (its registry is listed, or its status read)')
      }
    }
    const { result, findings, verdicts } = explainPolicy({ policy, repository, tags, fromCluster, top: flags.top })
    const reflect = policy.spec.digestReflectionPolicy
    if (registry?.client && result.replay.latest !== undefined && (reflect === 'IfNotPresent' || reflect === 'Always')) {
      try {
        result.digest = await registry.client.digest(result.replay.latest)
      } catch (e) {
        errors.push({ code: 'ERR_REGISTRY', message: `failed fetching digest of ${repository?.spec?.image}:${result.replay.latest}: ${(e as Error).message}` })
      }
    }
    await this.emit('PolicyExplanation', result, [...extraFindings, ...findings], errors, flags['fail-on'], () => renderExplanation(result, verdicts, flags.show as Show, flags.limit))
  }
}

/** NAMESPACE/NAME, or NAME alone (no namespace). */
function splitName(name: string): [string | undefined, string] {
  const slash = name.indexOf('/')
  return slash < 0 ? [undefined, name] : [name.slice(0, slash), name.slice(slash + 1)]
}

function asPolicy(o: KubeObject, fallbackNs?: string): ImagePolicyObject {
  if (!o.metadata?.name) throw new CodedError('ERR_MANIFEST', 'an ImagePolicy without metadata.name')
  return {
    metadata: { name: o.metadata.name, ...(o.metadata.namespace ?? fallbackNs ? { namespace: o.metadata.namespace ?? fallbackNs } : {}) },
    spec: (o.spec ?? {}) as ImagePolicyObject['spec'],
    ...(o.status ? { status: o.status as ImagePolicyObject['status'] } : {}),
  }
}

function asRepository(o: KubeObject, fallbackNs?: string): ImageRepositoryObject {
  return {
    metadata: { name: o.metadata?.name ?? '', ...(o.metadata?.namespace ?? fallbackNs ? { namespace: o.metadata?.namespace ?? fallbackNs } : {}) },
    ...(o.spec ? { spec: o.spec as ImageRepositoryObject['spec'] } : {}),
    ...(o.status ? { status: o.status as ImageRepositoryObject['status'] } : {}),
  }
}

function pickPolicy(objects: KubeObject[], name: string | undefined, file: string): ImagePolicyObject {
  const policies = objects.filter((o) => o.kind === 'ImagePolicy')
  let matches = policies
  if (name !== undefined) {
    const [ns, n] = splitName(name)
    matches = policies.filter((o) => o.metadata?.name === n && (ns === undefined || o.metadata?.namespace === ns))
  }
  if (matches.length === 0) throw new CodedError('ERR_MANIFEST', `${file} holds no ImagePolicy${name ? ` named ${name}` : ''}`)
  if (matches.length > 1) throw new CodedError('ERR_MANIFEST', `${file} holds ${matches.length.toLocaleString('en')} ImagePolicies; name one (${nameList(matches.map((o) => o.metadata?.name ?? ''))})`)
  return asPolicy(matches[0] as KubeObject)
}

function pickRepository(objects: KubeObject[], policy: ImagePolicyObject): ImageRepositoryObject | undefined {
  const ref = policy.spec.imageRepositoryRef
  const repos = objects.filter((o) => o.kind === 'ImageRepository')
  const wantNs = ref?.namespace ?? policy.metadata.namespace
  const match = repos.find((o) => o.metadata?.name === ref?.name && (wantNs === undefined || o.metadata?.namespace === undefined || o.metadata.namespace === wantNs))
  return match ? asRepository(match) : undefined
}


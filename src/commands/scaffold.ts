import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'
import { runScaffold } from '../cli/scaffold-run.js'
import { MARKER_LOCATIONS } from '../core/scaffold/spec.js'
import { renderFindings } from '../render/findings.js'
import { renderScaffold, renderSnippets } from '../render/scaffold.js'

export default class Scaffold extends BaseCommand {
  static override summary = 'Generate safe image automation manifests for one image and its environments.'
  static override description =
    'Writes an ImageRepository (with auth, and an exclusionList for signature, attestation and SBOM tags), and per environment an ImagePolicy and an ImageUpdateAutomation: production takes a tight semver range and pushes to a pull-request branch, other environments take the newest timestamp tag and commit directly. Prints multi-document YAML, or writes --out DIR (with a kustomization.yaml and a README for the promotion flow); --insert adds the markers to your files. Everything it generates passes flux-imgauto lint.'

  static override examples = [
    '<%= config.bin %> scaffold --image ghcr.io/acme/podinfo --version 6.5 > image-automation.yaml',
    '<%= config.bin %> scaffold --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/podinfo --env dev --env staging=sha-timestamp --env production --out clusters/prod/image-automation',
    '<%= config.bin %> scaffold --from scaffold.yaml --out flux/podinfo --insert dev=apps/dev/deployment.yaml --insert production=apps/production/deployment.yaml',
  ]

  static override flags = {
    from: Flags.string({ description: 'Read the spec from this YAML/JSON file (the same fields as the flags; flags given as well win).' }),
    image: Flags.string({ description: 'The image, host/repository without a tag (e.g. ghcr.io/acme/app).' }),
    name: Flags.string({ description: 'The object name prefix (default: the last part of the image).' }),
    namespace: Flags.string({ char: 'n', description: 'The namespace of the generated objects (default flux-system).' }),
    provider: Flags.option({ options: ['generic', 'aws', 'gcp', 'azure'] as const, description: 'Registry auth (default: aws/gcp/azure for ECR/GAR/ACR hosts, else generic with a secretRef).' })(),
    'secret-ref': Flags.string({ description: 'The docker-registry Secret for generic registries (default <name>-registry).' }),
    anonymous: Flags.boolean({ description: 'Scan a public image with no secretRef.', exclusive: ['secret-ref'] }),
    'cert-secret-ref': Flags.string({ description: "A Secret with the registry's CA (ca.crt)." }),
    interval: Flags.string({ description: 'How often to scan the registry (default 5m; at least 1m).' }),
    'git-repository': Flags.string({ description: 'The GitRepository the automations use (default flux-system).' }),
    branch: Flags.string({ description: 'The branch the automations check out (default main).' }),
    version: Flags.string({ description: 'The production range floor MAJOR.MINOR: ">=MAJOR.MINOR.0 <MAJOR+1.0.0" (default 1.0; within the minor below 1.0).' }),
    'tag-branch': Flags.string({ description: 'The branch prefix of development tags, as in main-<unix time> (default main).' }),
    env: Flags.string({ multiple: true, description: 'An environment, NAME or NAME=semver|timestamp|sha-timestamp|calver (default: dev and production; a name with the part prod, production, prd or live, such as prod-eu, is production).' }),
    marker: Flags.option({ options: MARKER_LOCATIONS, multiple: true, description: 'Where the image lives, for the marker snippets (default deployment).' })(),
    digest: Flags.boolean({ description: 'Reflect digests (digestReflectionPolicy: IfNotPresent) and add ":digest" to Helm value snippets.' }),
    'author-name': Flags.string({ description: 'The commit author name (default fluxcdbot).' }),
    'author-email': Flags.string({ description: 'The commit author email (default fluxcdbot@users.noreply.github.com).' }),
    out: Flags.string({ description: 'Write the files into this directory (never overwriting) instead of printing the YAML.' }),
    insert: Flags.string({ multiple: true, description: "Add the markers to this file, ENV=FILE or FILE under an environment's update.path; only fields that hold the image are marked." }),
  }

  protected kind(): string {
    return 'Scaffold'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Scaffold)
    const run = await runScaffold(flags)
    const toStdout = flags.out === undefined && flags.insert === undefined
    if (!this.jsonRequested()) {
      // stdout carries only the YAML (or the list of files); the rest is for the person.
      if (toStdout) process.stderr.write(renderSnippets(run))
      if (run.findings.length > 0) process.stderr.write('\n' + renderFindings(run.findings))
    }
    const result = { objects: run.generated.objects, snippets: run.generated.snippets, written: run.written, inserted: run.inserted, present: run.present }
    await this.emit('Scaffold', result, run.findings, [], flags['fail-on'], () => renderScaffold(run, toStdout), true)
  }
}

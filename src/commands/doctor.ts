import { Flags } from '@oclif/core'
import { readFluxOutput, runFluxGetImageAll } from '../adapters/flux-cli.js'
import { KubeReader } from '../adapters/kube.js'
import { LISTED_KINDS, snapshotFromCluster, snapshotFromFile } from '../adapters/snapshot.js'
import { BaseCommand, kubeFlags } from '../cli/base.js'
import { checkoutLookup, markersOutcome, readArtifacts, skippedMarkers } from '../cli/markers-outcome.js'
import { ancestry } from '../adapters/git-history.js'
import { ancestryQuestions } from '../core/doctor/checks/delivery.js'
import { fluxGetOutcome, mergeFluxGet, parseFluxGet, snapshotFromFluxGet } from '../core/doctor/flux-get.js'
import { applyFluxVersion, detectFluxVersion } from '../core/doctor/flux-version.js'
import { parseFluxVersion, versionText } from '../core/flux/detect.js'
import { attachEvents } from '../core/doctor/events.js'
import { type CheckOutcome, runChecks } from '../core/doctor/index.js'
import { type Snapshot, snapshotErrors, type SnapshotKind } from '../core/doctor/snapshot.js'
import type { Finding } from '../core/findings/types.js'
import { CodedError } from '../core/tool-error.js'
import { type DoctorResult, renderDoctorJUnit, renderDoctorTable } from '../render/doctor.js'
import { type ClusterReport, clusterReport, FLEET_CONCURRENCY, fleetEnvelope, fleetReport, renderFleetJUnit, renderFleetTable } from '../render/fleet.js'
import { renderToolError } from '../render/findings.js'
import type { ToolError } from '../core/findings/types.js'
import type { Interfaces } from '@oclif/core'

type DoctorFlags = Interfaces.InferredFlags<typeof Doctor.flags & typeof BaseCommand.baseFlags>
type FluxVersionOverride = ReturnType<typeof parseFluxVersion>

export default class Doctor extends BaseCommand {
  static override summary = "Diagnose a cluster's image-automation pipeline, stage by stage, and say what to change."
  static override description =
    'Walks the pipeline in order (controllers, ImageRepositories, ImagePolicies, ImageUpdateAutomations, markers in Git with --repo or in the GitRepository artifact with --artifact, and whether pushed commits were deployed) and reports coded findings with evidence and a fix. Reads only: one list per kind across the scope. A kind that cannot be read is reported, and the walk goes on.'

  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor -A --output junit > doctor.xml',
    '<%= config.bin %> doctor -n apps --repo ~/src/fleet --fail-on warning',
    '<%= config.bin %> doctor --snapshot cluster.yaml --now 2026-11-24T09:00:00Z --json',
    '<%= config.bin %> doctor --flux-output saved-flux-get.txt -A',
  ]

  static override flags = {
    ...kubeFlags,
    context: Flags.string({ multiple: true, description: 'The kubeconfig context to use; repeat for a fleet run (one report per cluster and a summary).' }),
    'all-contexts': Flags.boolean({ exclusive: ['context', 'snapshot', 'flux-output'], description: "A fleet run over every context in the kubeconfig." }),
    'all-namespaces': Flags.boolean({ char: 'A', description: 'Look at every namespace.' }),
    'flux-namespace': Flags.string({ default: 'flux-system', description: 'Where the Flux controllers run.' }),
    snapshot: Flags.string({ exclusive: ['flux-output', 'all-contexts'], description: 'Diagnose a saved List (kubectl get crd,deploy,imagerepositories,imagepolicies,imageupdateautomations,gitrepositories,kustomizations,helmreleases -A -o yaml) instead of a cluster.' }),
    flux: Flags.boolean({ default: true, allowNo: true, description: 'Run flux get image all when flux is on PATH, as a cross-check and a fallback source (--no-flux: do not).' }),
    'flux-output': Flags.string({ description: 'Diagnose saved flux get image all output (- for stdin) instead of a cluster: statuses only, so the checks that need specs, CRDs or Deployments are skipped.' }),
    repo: Flags.string({ exclusive: ['artifact'], description: 'A local checkout of the automations\' Git repository: trace its markers too.' }),
    artifact: Flags.boolean({ exclusive: ['snapshot', 'flux-output'], description: "Trace the markers in each automation's GitRepository artifact (the revision source-controller fetched, read through the API server's service proxy, digest verified) instead of a checkout." }),
    output: Flags.option({ char: 'o', options: ['table', 'json', 'junit'] as const, default: 'table' as const, description: 'The report format.' })(),
    now: Flags.string({ description: 'Judge ages (last scan, last run) as of this RFC 3339 time; for saved snapshots.' }),
    'flux-version': Flags.string({ description: 'Judge as this Flux version (e.g. 2.6) instead of the one the Deployments, CRDs or flux get output show.' }),
  }

  protected kind(): string {
    return this.argv.includes('--all-contexts') || this.argv.filter((a) => a === '--context' || a.startsWith('--context=')).length > 1 ? 'DoctorFleetReport' : 'DoctorReport'
  }

  // Clusters read side by side, at most FLEET_CONCURRENCY at a time; one that cannot be read
  // is an error in its own report, and the others go on. The exit code is the worst one.
  private async fleet(flags: DoctorFlags, contexts: string[], override: FluxVersionOverride, output: 'table' | 'json' | 'junit'): Promise<void> {
    if (flags.snapshot !== undefined || flags['flux-output'] !== undefined) throw new CodedError('ERR_USAGE', 'a fleet run (several --context, --all-contexts) reads clusters: --snapshot and --flux-output do not apply')
    if (flags.repo !== undefined) throw new CodedError('ERR_USAGE', 'a fleet run cannot trace one --repo checkout against every cluster; use --artifact')
    if (contexts.length === 0) throw new CodedError('ERR_KUBECONFIG', 'the kubeconfig has no contexts')
    const reports: ClusterReport[] = new Array(contexts.length)
    let next = 0
    const worker = async (): Promise<void> => {
      for (let i = next++; i < contexts.length; i = next++) {
        const context = contexts[i] as string
        if (output === 'table') process.stderr.write(`reading context ${context}…\n`)
        try {
          const r = await this.diagnose(flags, context, override, true)
          reports[i] = clusterReport(context, r.result, r.findings, r.errors, flags['fail-on'])
        } catch (e) {
          if (!(e instanceof CodedError)) throw e
          reports[i] = clusterReport(context, null, [], [e.toToolError()], flags['fail-on'])
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(FLEET_CONCURRENCY, contexts.length) }, worker))
    const fleet = fleetReport(reports)
    if (output === 'junit') process.stdout.write(renderFleetJUnit(fleet))
    else if (output === 'json') await this.writeJson(fleetEnvelope(fleet))
    else {
      process.stdout.write(renderFleetTable(fleet))
      for (const c of fleet.clusters) for (const e of c.report.errors) process.stderr.write(renderToolError({ ...e, message: `context ${c.context}: ${e.message}` }))
    }
    process.exitCode = fleet.summary.exitCode
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor)
    const override = flags['flux-version'] === undefined ? undefined : parseFluxVersion(flags['flux-version'])
    if (flags['flux-version'] !== undefined && override === undefined) throw new CodedError('ERR_USAGE', `--flux-version ${flags['flux-version']} is not a Flux 2 version such as 2.7 or v2.7.3`)
    if (flags.now !== undefined && Number.isNaN(Date.parse(flags.now))) throw new CodedError('ERR_USAGE', `--now ${flags.now} is not an RFC 3339 time`)
    const output = flags.json ? 'json' : flags.output
    const contexts = flags['all-contexts'] ? await KubeReader.contextNames(flags.kubeconfig) : (flags.context ?? [])
    if (new Set(contexts).size !== contexts.length) throw new CodedError('ERR_USAGE', 'a --context is given twice')
    if (flags['all-contexts'] || contexts.length > 1) return this.fleet(flags, contexts, override, output)
    const { result, findings, errors } = await this.diagnose(flags, contexts[0], override, output !== 'table')
    if (output === 'junit') {
      process.stdout.write(renderDoctorJUnit(result))
      this.setExit(findings, errors, flags['fail-on'])
      return
    }
    await this.emit('DoctorReport', result, findings, errors, flags['fail-on'], () => renderDoctorTable(result), true)
  }

  /** One cluster (or saved source): the snapshot, the checks, the report. */
  private async diagnose(flags: DoctorFlags, context: string | undefined, override: FluxVersionOverride, quiet: boolean): Promise<{ result: DoctorResult; findings: Finding[]; errors: ToolError[] }> {
    let policyColumns: 'LATEST IMAGE' | 'IMAGE, TAG' | undefined
    const namespace = flags['all-namespaces'] ? undefined : flags.namespace
    const progress = (line: string): void => {
      if (!quiet) process.stderr.write(`${line}\n`)
    }
    let snapshot: Snapshot
    let source: string
    let kube: KubeReader | undefined
    const extra: CheckOutcome[] = []
    if (flags.snapshot !== undefined) {
      snapshot = await snapshotFromFile(flags.snapshot, namespace, flags['flux-namespace'])
      source = flags.snapshot
    } else if (flags['flux-output'] !== undefined) {
      const saved = await readFluxOutput(flags['flux-output'])
      // Rows without a NAMESPACE column belong to the namespace flux ran in: -n, as flux's default.
      const parsed = parseFluxGet(saved.stdout, saved.stderr, flags.namespace)
      policyColumns = parsed.policyColumns
      snapshot = snapshotFromFluxGet(parsed, namespace, flags['flux-namespace'], 'flux get image all output')
      source = `flux get image all output (${flags['flux-output'] === '-' ? 'stdin' : flags['flux-output']})`
      extra.push(fluxGetOutcome(parsed))
    } else {
      kube = await KubeReader.connect({ kubeconfig: flags.kubeconfig, context, timeoutMs: flags['request-timeout'] * 1000 })
      // flux get image all runs beside the API reads: a cross-check, and the source of the image
      // kinds the API would not give.
      const flux = !flags.flux ? Promise.resolve(undefined) : runFluxGetImageAll({ context, kubeconfig: flags.kubeconfig, ...(namespace !== undefined ? { namespace } : {}), timeoutMs: flags['request-timeout'] * 1000 })
      snapshot = await this.load(kube, namespace, flags['flux-namespace'], quiet, progress)
      source = `context ${kube.contextName}`
      const run = await flux
      if (run !== undefined) {
        const { outcome, filled } = mergeFluxGet(snapshot, run.stdout, run.stderr, flags.namespace)
        extra.push(outcome)
        if (filled.length > 0) source += `; ${filled.join(', ')} from flux get image all`
      }
    }
    if (flags.now !== undefined) snapshot.now = Date.parse(flags.now)
    applyFluxVersion(snapshot, detectFluxVersion(snapshot, override, policyColumns))
    if (flags.repo !== undefined) snapshot.ancestry = await ancestry(flags.repo, ancestryQuestions(snapshot))
    const errors = snapshotErrors(snapshot)
    let markers: CheckOutcome
    if (flags.repo !== undefined) markers = markersOutcome(snapshot, checkoutLookup(flags.repo))
    else if (flags.artifact && kube !== undefined) {
      const read = await readArtifacts(kube, snapshot)
      errors.push(...read.errors)
      markers = markersOutcome(snapshot, read.lookup)
    } else markers = skippedMarkers('pass --repo PATH (a local checkout) or --artifact to trace markers')
    const checks = runChecks(snapshot, [...extra, markers])
    const findings: Finding[] = checks.flatMap((c) => c.findings)
    // Events only when there is something to explain: one more list, for the whole scope.
    if (kube && findings.some((f) => f.subject)) {
      try {
        attachEvents(findings, await kube.listEvents(namespace))
      } catch (e) {
        if (!(e instanceof CodedError)) throw e
        const error = e.toToolError()
        errors.push({ ...error, message: `Event: ${error.message} (findings are reported without their events)` })
      }
    }
    const result: DoctorResult = {
      scope: { namespace: namespace ?? null, fluxNamespace: flags['flux-namespace'], source, fluxVersion: versionText(snapshot.fluxVersion as NonNullable<Snapshot['fluxVersion']>) },
      checks,
      counts: { passed: checks.filter((c) => c.status === 'passed').length, failed: checks.filter((c) => c.status === 'failed').length, skipped: checks.filter((c) => c.status === 'skipped').length },
    }
    return { result, findings, errors }
  }

  // listr2 draws one line per kind read in a terminal; elsewhere plain lines; with JSON or
  // JUnit, nothing.
  private async load(kube: KubeReader, namespace: string | undefined, fluxNamespace: string, quiet: boolean, progress: (l: string) => void): Promise<Snapshot> {
    const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`
    if (quiet || !process.stderr.isTTY) {
      progress(`reading ${where}…`)
      return snapshotFromCluster(kube, namespace, fluxNamespace, (kind) => progress(`  read ${kind}`))
    }
    const { Listr } = await import('listr2')
    // One promise per kind, made before the reads start, settled as each list returns.
    const settle = new Map<SnapshotKind, () => void>()
    const read = new Map(LISTED_KINDS.map((k) => [k, new Promise<void>((resolve) => settle.set(k, resolve))]))
    const reading = snapshotFromCluster(kube, namespace, fluxNamespace, (kind) => settle.get(kind)?.())
    const tasks = LISTED_KINDS.map((k) => ({ title: `${k} list`, task: () => read.get(k) }))
    await new Listr([{ title: `Reading ${where}`, task: (_ctx, task) => task.newListr(tasks, { concurrent: true }) }], { exitOnError: false }).run()
    return reading
  }
}

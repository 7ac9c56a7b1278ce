import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'
import { CodedError } from '../core/tool-error.js'
import { Evaluator } from '../serve/evaluator.js'
import { parseListen, startHttp } from '../serve/http.js'
import { jsonLogger } from '../serve/log.js'
import { ServeMetrics } from '../serve/metrics.js'

export default class Serve extends BaseCommand {
  static override summary = "Keep evaluating the doctor's checks and serve them as Prometheus metrics and reports."
  static override description =
    'A long-running, read-only evaluator: keeps the objects the doctor reads current (one list, then one watch per kind; a fresh list every --resync; a list every --poll-interval where the watch is refused), re-runs the checks shortly after a change, and serves /metrics, /healthz, /readyz and /report on --listen. Logs are JSON lines on stderr. Stops on SIGTERM or SIGINT.'

  static override examples = ['<%= config.bin %> serve -A', '<%= config.bin %> serve -A --context prod-eu --context prod-us --listen 127.0.0.1:9797']

  // serve prints no report and exits with no verdict: --json and --fail-on do not apply.
  static override baseFlags = {} as typeof BaseCommand.baseFlags

  static override flags = {
    listen: Flags.string({ default: ':9797', description: 'The address to serve on, HOST:PORT or :PORT (every interface).' }),
    context: Flags.string({ multiple: true, description: 'A kubeconfig context to watch; repeat for several clusters (each series is labelled cluster=<context>). Default: the current context, or the in-cluster config.' }),
    kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster config).' }),
    namespace: Flags.string({ char: 'n', default: 'flux-system', description: 'The namespace to watch.' }),
    'all-namespaces': Flags.boolean({ char: 'A', description: 'Watch every namespace.' }),
    'flux-namespace': Flags.string({ default: 'flux-system', description: 'Where the Flux controllers run.' }),
    'request-timeout': Flags.integer({ default: 15, min: 1, description: 'Seconds to wait for each list request.' }),
    resync: Flags.integer({ default: 300, min: 1, description: 'Seconds between fresh lists of every kind (and an evaluation, so ages move on).' }),
    'poll-interval': Flags.integer({ default: 30, min: 1, description: 'Seconds between lists of a kind whose watch is refused, and of Secrets.' }),
    artifacts: Flags.boolean({ default: true, allowNo: true, description: "Trace markers in each automation's GitRepository artifact, read once per digest (--no-artifacts: do not)." }),
    debounce: Flags.integer({ default: 200, min: 0, description: 'Milliseconds to wait after a change before evaluating, so a burst costs one evaluation.' }),
  }

  protected kind(): string {
    return 'Serve'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve)
    const address = parseListen(flags.listen)
    if (address === undefined) throw new CodedError('ERR_USAGE', `--listen ${flags.listen} is not HOST:PORT or :PORT`)
    const contexts = flags.context ?? [undefined]
    if (new Set(contexts).size !== contexts.length) throw new CodedError('ERR_USAGE', 'a --context is given twice')
    const log = jsonLogger()
    // prom-client is CommonJS: bundled, its exports sit on the namespace's default.
    const prom = (await import('prom-client')) as typeof import('prom-client') & { default?: typeof import('prom-client') }
    const metrics = new ServeMetrics(prom.default ?? prom)
    const evaluator = new Evaluator(
      {
        ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
        contexts,
        ...(flags['all-namespaces'] ? {} : { namespace: flags.namespace }),
        fluxNamespace: flags['flux-namespace'],
        timeoutMs: flags['request-timeout'] * 1000,
        timing: { pollMs: flags['poll-interval'] * 1000, retryMs: Math.min(5000, flags['poll-interval'] * 1000) },
        resyncMs: flags.resync * 1000,
        debounceMs: flags.debounce,
        artifacts: flags.artifacts,
      },
      metrics,
      log,
    )
    // Listen first, so /healthz answers and /readyz says "not ready" while the first lists run.
    let http
    try {
      http = await startHttp(address, evaluator, metrics, log)
    } catch (e) {
      throw new CodedError('ERR_USAGE', `--listen ${flags.listen}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    log('info', 'serving', { url: http.url, contexts: contexts.map((c) => c ?? '(current)'), namespace: flags['all-namespaces'] ? null : flags.namespace })
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'))
      process.once('SIGINT', () => resolve('SIGINT'))
    })
    // A signal during the first lists stops it too.
    let signal: string | undefined
    try {
      signal = await Promise.race([evaluator.start().then(() => undefined), stopped])
    } catch (e) {
      http.server.close()
      throw e
    }
    if (signal === undefined) {
      log('info', 'ready', { clusters: evaluator.clusterNames })
      signal = await stopped
    }
    log('info', 'stopping', { signal })
    http.server.closeAllConnections()
    await new Promise((resolve) => http.server.close(resolve))
    await evaluator.stop()
  }
}

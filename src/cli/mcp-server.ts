// `flux-imgauto mcp`: the commands as Model Context Protocol tools, over stdio, for AI
// assistants. Each tool runs the command itself (this CLI, as a child process, with --json)
// and returns its flux-imgauto/v1 envelope as structured content with a short summary, so an
// assistant sees exactly what a person running the command sees: the same redaction, the
// same codes. Read-only: no tool writes (preview never gets --out), every path must lie under
// --root, and the cluster is reached only with the server's kubeconfig and a context from its
// allow-list.

import { spawn } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { ERROR_CODES, FINDING_CODES } from '../core/findings/catalogue.js'

export interface McpOptions {
  /** bin/run.js of this installation. */
  bin: string
  version: string
  /** Paths given to tools must lie under this directory. */
  root: string
  kubeconfig?: string
  /** The context used when a tool names none. */
  context?: string
  /** Contexts a tool may name (the default context is always allowed). */
  allowContexts: string[]
  requestTimeout?: number
}

interface Envelope {
  apiVersion: string
  kind: string
  status: 'ok' | 'problems' | 'incomplete'
  findings: { code: string; severity: string; title: string; message: string }[]
  errors: { code: string; message: string; suggestion?: string }[]
  result: unknown
}

/** Tool failures that are the caller's to fix: reported as an MCP tool error, not thrown. */
class ToolInputError extends Error {}

const ENVELOPE_SHAPE = {
  apiVersion: z.literal('flux-imgauto/v1'),
  kind: z.string(),
  status: z.enum(['ok', 'problems', 'incomplete']),
  findings: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning', 'info']), title: z.string(), message: z.string(), fix: z.string() }).passthrough()),
  errors: z.array(z.object({ code: z.string(), message: z.string(), suggestion: z.string().optional() }).passthrough()),
  result: z.unknown(),
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true }

export function summary(e: Envelope): string {
  const counts = { error: 0, warning: 0, info: 0 } as Record<string, number>
  for (const f of e.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1
  let text = `${e.kind}: ${e.status}; ${e.findings.length} finding(s) (${counts.error} error, ${counts.warning} warning, ${counts.info} info), ${e.errors.length} tool error(s).`
  for (const f of e.findings.slice(0, 5)) text += `\n- ${f.severity} ${f.code}: ${f.title}`
  if (e.findings.length > 5) text += `\n- … ${e.findings.length - 5} more in the structured result`
  for (const x of e.errors) text += `\n- tool error ${x.code}: ${x.message}`
  return text
}

export function createMcpServer(opts: McpOptions): McpServer {
  const server = new McpServer({ name: 'flux-imgauto', version: opts.version }, { instructions: INSTRUCTIONS })
  const root = realpathSync(opts.root)

  const path = (p: string): string => {
    const abs = resolve(root, p)
    const real = existsSync(abs) ? realpathSync(abs) : abs
    const rel = relative(root, real)
    if (rel.startsWith('..') || isAbsolute(rel)) throw new ToolInputError(`${p} is outside the directory this server may read (${root})`)
    return real
  }
  const kube = (context: string | undefined): string[] => {
    if (context !== undefined && context !== opts.context && !opts.allowContexts.includes(context)) {
      const allowed = [...new Set([...(opts.context ? [opts.context] : []), ...opts.allowContexts])]
      throw new ToolInputError(`context "${context}" is not allowed; allowed: ${allowed.length ? allowed.join(', ') : 'only the kubeconfig\'s current context (start the server with --allow-context)'}`)
    }
    const chosen = context ?? opts.context
    return [...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : []), ...(chosen ? ['--context', chosen] : []), ...(opts.requestTimeout ? ['--request-timeout', String(opts.requestTimeout)] : [])]
  }
  const run = (argv: () => string[]) => async () => {
    let args: string[]
    try {
      args = argv()
    } catch (e) {
      if (e instanceof ToolInputError) return { isError: true, content: [{ type: 'text' as const, text: e.message }] }
      throw e
    }
    const envelope = await runJson(opts.bin, root, [...args, '--json'])
    return { content: [{ type: 'text' as const, text: summary(envelope) }], structuredContent: envelope as unknown as Record<string, unknown> }
  }
  const opt = (flag: string, v: string | undefined): string[] => (v === undefined ? [] : [flag, v])
  const optPath = (flag: string, v: string | undefined): string[] => (v === undefined ? [] : [flag, path(v)])
  const ns = z.string().optional().describe('The namespace (default flux-system).')
  const context = z.string().optional().describe("A kubeconfig context from the server's allow-list (default: the server's --context).")

  server.registerTool(
    'explain_policy',
    {
      title: 'Explain an ImagePolicy',
      description: "Replay an ImagePolicy over its tag list exactly as Flux does: a verdict for every tag, the winner, and coded findings on what is wrong or risky. From the cluster (name, namespace) or from a manifest file; tags from the registry, a tags file, or the ImageRepository's status.",
      inputSchema: {
        name: z.string().optional().describe('The ImagePolicy: NAME (with namespace) or NAMESPACE/NAME. Optional with file when it holds one policy.'),
        namespace: ns,
        context,
        file: z.string().optional().describe('Read the ImagePolicy (and an ImageRepository beside it) from this manifest instead of the cluster.'),
        tags_file: z.string().optional().describe('Replay over these tags (one per line, or a JSON array).'),
        no_registry: z.boolean().optional().describe("Never call the registry; without tags_file, replay over the ImageRepository status (ten tags at most)."),
        show: z.enum(['auto', 'all', 'candidates', 'rejected']).optional(),
      },
      outputSchema: ENVELOPE_SHAPE,
      annotations: READ_ONLY,
    },
    (a) =>
      run(() => [
        'explain',
        'policy',
        ...(a.name ? [a.name] : []),
        ...opt('-n', a.namespace),
        ...optPath('--file', a.file),
        ...optPath('--tags-file', a.tags_file),
        ...(a.no_registry ? ['--no-registry'] : []),
        ...opt('--show', a.show),
        ...(a.file ? [] : kube(a.context)),
      ])(),
  )

  const markerInputs = {
    path: z.string().default('.').describe('The Git checkout (update.path is relative to it).'),
    automation: z.string().optional().describe('Read this ImageUpdateAutomation (in namespace) and its namespace\'s ImagePolicies from the cluster.'),
    automation_file: z.string().optional().describe('Read the ImageUpdateAutomation from this manifest.'),
    update_path: z.string().optional().describe("The automation's update.path, when no automation is given."),
    policies_file: z.string().optional().describe('ImagePolicies with status.latestRef, as kubectl get imagepolicies -o yaml prints them.'),
    namespace: ns,
    context,
  }
  type MarkerArgs = { path: string; automation?: string; automation_file?: string; update_path?: string; policies_file?: string; namespace?: string; context?: string }
  const markerArgs = (a: MarkerArgs): string[] => [
    path(a.path),
    ...opt('--automation', a.automation),
    ...optPath('--automation-file', a.automation_file),
    ...opt('--path', a.update_path),
    ...optPath('--policies-file', a.policies_file),
    ...opt('-n', a.namespace),
    ...(a.automation || !a.policies_file ? kube(a.context) : []),
  ]
  server.registerTool(
    'trace_markers',
    {
      title: 'Trace $imagepolicy markers',
      description: 'List every $imagepolicy marker in a checkout, and every near miss, with the file, line, field and policy Flux will use, or the coded reason it will ignore it.',
      inputSchema: markerInputs,
      outputSchema: ENVELOPE_SHAPE,
      annotations: READ_ONLY,
    },
    (a) => run(() => ['trace', ...markerArgs(a)])(),
  )
  server.registerTool(
    'preview_commit',
    {
      title: 'Preview the commit Flux would make',
      description: 'Show the diff of every file Flux would write for an automation, byte for byte where that can be guaranteed. Writes nothing.',
      inputSchema: markerInputs,
      outputSchema: ENVELOPE_SHAPE,
      annotations: READ_ONLY,
    },
    (a) => run(() => ['preview', ...markerArgs(a)])(),
  )

  server.registerTool(
    'doctor',
    {
      title: "Diagnose the cluster's image automation",
      description: "Walk the image-automation pipeline stage by stage (CRDs and controllers, repositories scan, policies select, automations commit and push, the commit is deployed) and report coded findings with evidence and a fix. From the cluster, a saved snapshot, or saved flux get image all output.",
      inputSchema: {
        namespace: ns,
        all_namespaces: z.boolean().optional().describe('Look at every namespace.'),
        context,
        snapshot: z.string().optional().describe('Diagnose a saved List (kubectl get … -A -o yaml) instead of a cluster.'),
        flux_output: z.string().optional().describe('Diagnose saved flux get image all output instead of a cluster.'),
        repo: z.string().optional().describe("A local checkout of the automations' Git repository: trace its markers too."),
        artifact: z.boolean().optional().describe("Trace the markers in each automation's GitRepository artifact (the revision Flux fetched, digest verified) instead of a checkout."),
        now: z.string().optional().describe('Judge ages as of this RFC 3339 time (for saved snapshots).'),
      },
      outputSchema: ENVELOPE_SHAPE,
      annotations: READ_ONLY,
    },
    (a) =>
      run(() => [
        'doctor',
        ...opt('-n', a.namespace),
        ...(a.all_namespaces ? ['-A'] : []),
        ...optPath('--snapshot', a.snapshot),
        ...optPath('--flux-output', a.flux_output),
        ...optPath('--repo', a.repo),
        ...(a.artifact ? ['--artifact'] : []),
        ...opt('--now', a.now),
        // Saved inputs need no cluster; flux get is never run from here (its own kubeconfig).
        '--no-flux',
        ...(a.snapshot || a.flux_output ? [] : kube(a.context)),
      ])(),
  )

  server.registerTool(
    'lint',
    {
      title: 'Lint image automation manifests',
      description: 'Check the ImageRepository, ImagePolicy and ImageUpdateAutomation manifests and the markers in a directory, with no cluster, for the known footguns; coded findings with file, line and fix.',
      inputSchema: { path: z.string().default('.').describe('The directory (or file) to lint.'), namespace: z.string().optional().describe('The namespace of objects that name none.') },
      outputSchema: ENVELOPE_SHAPE,
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    (a) => run(() => ['lint', path(a.path), ...opt('-n', a.namespace)])(),
  )

  server.registerTool(
    'list_codes',
    { title: 'List the codes', description: 'Every finding code (FIA…) and tool error code (ERR_…) flux-imgauto reports, with title, severity and fix.', outputSchema: ENVELOPE_SHAPE, annotations: { ...READ_ONLY, openWorldHint: false } },
    () => run(() => ['codes'])(),
  )

  server.registerTool(
    'explain_code',
    {
      title: 'Explain one code',
      description: 'What a finding code (FIA…) or tool error code (ERR_…) means, its severity or exit code, the fix, and its documentation.',
      inputSchema: { code: z.string().describe('e.g. FIA105 or ERR_FORBIDDEN') },
      outputSchema: { code: z.string(), kind: z.enum(['finding', 'error']), title: z.string(), severity: z.string().optional(), exitCode: z.number().optional(), fix: z.string(), docs: z.string().optional() },
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    async ({ code }) => {
      const id = code.trim().toUpperCase()
      const f = (FINDING_CODES as Record<string, { code: string; severity: string; title: string; fix: string; docs?: string }>)[id]
      const e = (ERROR_CODES as Record<string, { code: string; exitCode: number; title: string; suggestion: string }>)[id]
      if (!f && !e) return { isError: true, content: [{ type: 'text' as const, text: `unknown code ${code}: list_codes lists them all` }] }
      const out = f
        ? { code: f.code, kind: 'finding' as const, title: f.title, severity: f.severity, fix: f.fix, ...(f.docs ? { docs: f.docs } : {}) }
        : { code: e!.code, kind: 'error' as const, title: e!.title, exitCode: e!.exitCode, fix: e!.suggestion }
      return { content: [{ type: 'text' as const, text: `${out.code} (${'severity' in out ? out.severity : `exit ${out.exitCode}`}): ${out.title}\nFix: ${out.fix}${'docs' in out ? `\nDocs: ${out.docs}` : ''}` }], structuredContent: out }
    },
  )

  server.registerPrompt(
    'no-update-happened',
    {
      title: 'Runbook: the image did not update',
      description: 'Walk the image-automation pipeline with the tools, from the cluster to the commit, until the stage that stops the update is found.',
      argsSchema: { namespace: z.string().optional().describe('The namespace of the automation (default flux-system).'), policy: z.string().optional().describe('The ImagePolicy of the image that did not update.'), checkout: z.string().optional().describe('A local checkout of the GitOps repository.') },
    },
    ({ namespace, policy, checkout }) => ({
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: runbook(namespace ?? 'flux-system', policy, checkout) } }],
    }),
  )
  return server
}

const INSTRUCTIONS =
  'flux-imgauto replays Flux image automation exactly as the controllers do. Start with doctor for a cluster, lint for a repository; use explain_policy for why a tag was or was not selected, trace_markers and preview_commit for what Flux will write. Every finding has a code; explain_code tells what it means and how to fix it. Quote the codes and fixes; do not guess fields (there is no status.latestImage in the v1 API: it is status.latestRef).'

function runbook(namespace: string, policy: string | undefined, checkout: string | undefined): string {
  const p = policy ? `the ImagePolicy ${namespace}/${policy}` : `the ImagePolicy of the image (ask which, or find it in doctor's result)`
  return [
    `An image did not update in namespace ${namespace}. Find the stage that stops it, in pipeline order, with the flux-imgauto tools; stop at the first stage that fails and give its code, evidence and fix.`,
    `1. doctor (namespace ${namespace}): controllers and CRDs (FIA401–FIA404), ImageRepository scans (FIA410–FIA414, FIA2xx registry causes), ImagePolicy selection (FIA420–FIA425), automation runs and pushes (FIA430–FIA440), and whether the pushed commit reached the cluster (FIA450–FIA452).`,
    `2. explain_policy for ${p}: which tag Flux selects and why every other tag was rejected; compare with the tag expected (FIA105/FIA106/FIA107: nothing selectable; FIA110: the cluster's latestRef differs from the replay).`,
    `3. trace_markers${checkout ? ` on ${checkout}` : ' on the checkout'} with the automation: is there a marker Flux will update for this policy, or is it ignored (FIA301–FIA325 say why)?`,
    `4. preview_commit: the exact commit Flux would make; "Nothing to commit" means the files already hold the selected tag.`,
    `Report: the failing stage, the finding codes with their evidence, and the fix from each finding. Never print Secret values; the tools never return them.`,
  ].join('\n')
}

/** Runs this CLI with --json and returns its envelope (its exit code only says what the envelope says). */
function runJson(bin: string, cwd: string, args: string[]): Promise<Envelope> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      try {
        resolvePromise(JSON.parse(stdout) as Envelope)
      } catch {
        reject(new Error(`flux-imgauto ${args[0]} exited ${code} without a JSON result: ${stderr.split('\n')[0] ?? ''}`))
      }
    })
  })
}

export async function serveStdio(opts: McpOptions): Promise<void> {
  const server = createMcpServer(opts)
  await server.connect(new StdioServerTransport())
}

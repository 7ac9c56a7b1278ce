import { fileURLToPath } from 'node:url'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'

export default class Mcp extends BaseCommand {
  static override summary = 'Serve the commands as read-only MCP tools over stdio, for AI assistants.'
  static override description =
    'A Model Context Protocol server on standard input and output. Tools: explain_policy, trace_markers, preview_commit, doctor, lint, list_codes, explain_code; each returns the command\'s flux-imgauto/v1 JSON envelope as structured content and a short summary. A prompt, no-update-happened, walks the pipeline. Nothing is written; tools read only files under --root, and reach the cluster only with --kubeconfig and a context from --context or --allow-context.'

  static override examples = [
    '<%= config.bin %> mcp',
    '<%= config.bin %> mcp --root ~/src/fleet --context prod-eu --allow-context staging',
  ]

  // Not a report: the tools' results carry the envelopes.
  static override baseFlags = {} as typeof BaseCommand.baseFlags
  static override flags = {
    root: Flags.string({ description: 'Tools may read files only under this directory (default: the current directory).' }),
    kubeconfig: Flags.string({ description: 'The kubeconfig the tools use (default: $KUBECONFIG or ~/.kube/config).' }),
    context: Flags.string({ description: 'The context a tool uses when it names none (default: the kubeconfig\'s current context).' }),
    'allow-context': Flags.string({ multiple: true, description: 'A further context tools may name (repeatable); no other is accepted.' }),
    'request-timeout': Flags.integer({ min: 1, description: 'Seconds to wait for each API request.' }),
  }

  protected kind(): string {
    return 'McpServer'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp)
    // The SDK is loaded only by this command.
    const { serveStdio } = await import('../cli/mcp-server.js')
    await serveStdio({
      bin: fileURLToPath(new URL('../../bin/run.js', import.meta.url)),
      version: this.config.version,
      root: flags.root ?? process.cwd(),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      allowContexts: flags['allow-context'] ?? [],
      ...(flags['request-timeout'] ? { requestTimeout: flags['request-timeout'] } : {}),
    })
  }
}

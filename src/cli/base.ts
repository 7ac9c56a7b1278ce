// What every command shares: --json, --fail-on, the envelope, exit codes, and errors that
// end in one coded line instead of a stack trace.

import { Command, Flags } from '@oclif/core'
import { SEVERITY_RANK, type Envelope, type Finding, type Severity, statusOf, type ToolError } from '../core/findings/types.js'
import { CodedError } from '../core/tool-error.js'
import { renderFindings, renderToolError } from '../render/findings.js'
import { jsonPieces } from '../render/json.js'
import { jsonRequestedIn } from './last-resort.js'

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findings: 1, input: 2, source: 3, internal: 4 } as const

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print the result as JSON (the flux-imgauto/v1 envelope) and nothing else.' }),
    'fail-on': Flags.option({ options: ['error', 'warning', 'info'] as const, default: 'error' as const, description: 'Exit 1 when a finding has this severity or higher.' })(),
  }

  /** --json, or -o/--output json on the commands that have --output. */
  protected jsonRequested(): boolean {
    return jsonRequestedIn(this.argv)
  }

  /**
   * Prints the envelope (JSON) or the text, and sets the exit code from findings and errors.
   * The text is followed by the findings unless it already shows them (`findingsInText`).
   */
  protected async emit<K extends string, P>(kind: K, result: P, findings: Finding[], errors: ToolError[], failOn: Severity, text: () => string | Iterable<string>, findingsInText = false): Promise<void> {
    const envelope: Envelope<K, P> = { apiVersion: 'flux-imgauto/v1', kind, status: statusOf(findings, errors), findings, errors, result }
    if (this.jsonRequested()) await this.writeJson(envelope)
    else {
      const body = text()
      await writeOut(typeof body === 'string' ? [body] : body)
      if (!findingsInText && (findings.length > 0 || errors.length === 0)) process.stdout.write('\n' + renderFindings(findings))
      for (const e of errors) process.stderr.write(renderToolError(e))
    }
    this.setExit(findings, errors, failOn)
  }

  /** A JSON document on stdout, as JSON.stringify(value, null, 2) writes it, streamed. */
  protected async writeJson(value: unknown): Promise<void> {
    await writeOut(jsonPieces(value))
  }

  /** The documented exit code: 3 when a source could not be read, 1 for findings at --fail-on. */
  protected setExit(findings: Finding[], errors: ToolError[], failOn: Severity): void {
    process.exitCode = errors.length > 0 ? EXIT.source : findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? EXIT.findings : EXIT.ok
  }

  protected override async catch(err: Error & { oclif?: { exit?: number }; exitCode?: number }): Promise<void> {
    let coded: CodedError
    if (err instanceof CodedError) coded = err
    else if (err.oclif !== undefined || err.name === 'ValidationError' || /Unexpected argument|Nonexistent flag|Missing .*required/.test(err.message)) {
      // oclif's own flag and argument errors.
      if (err.oclif?.exit === 0) return
      coded = new CodedError('ERR_USAGE', usageMessage(err.message))
    } else {
      const toolError: ToolError = { code: 'ERR_INTERNAL', message: `unexpected failure: ${err.message}`, suggestion: 'Please report this with the command line that caused it.' }
      this.fail(toolError, EXIT.internal)
      return
    }
    this.fail(coded.toToolError(), coded.exitCode)
  }

  private fail(e: ToolError, exitCode: number): void {
    if (this.jsonRequested()) {
      const envelope = { apiVersion: 'flux-imgauto/v1', kind: this.kind(), status: 'incomplete', findings: [], errors: [e], result: null }
      process.stdout.write(JSON.stringify(envelope, null, 2) + '\n')
    } else {
      process.stderr.write(renderToolError(e))
    }
    process.exitCode = exitCode
  }

  /** The envelope kind this command emits. */
  protected abstract kind(): string
}

// Written as made, about a megabyte at a time, waiting whenever the reader falls behind:
// process.stdout queues every write to a pipe in memory otherwise.
async function writeOut(pieces: Iterable<string>): Promise<void> {
  let buffer = ''
  const flush = async (): Promise<void> => {
    const chunk = buffer
    buffer = ''
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve))
  }
  for (const piece of pieces) {
    buffer += piece
    if (buffer.length >= 1 << 20) await flush()
  }
  if (buffer !== '') await flush()
}

/**
 * oclif's parse errors on one line: its "The following error occurred:" heading and its
 * "See more help with --help" tail dropped, the reasons kept, colour codes removed.
 */
export function usageMessage(message: string): string {
  const lines = message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^The following errors? occurred:$/.test(l) && l !== 'See more help with --help')
  return lines.join('; ') || 'the command line cannot be read'
}

/** Kubernetes connection flags, as the flux CLI spells them. */
export const kubeFlags = {
  namespace: Flags.string({ char: 'n', default: 'flux-system', description: 'The namespace of the object.' }),
  context: Flags.string({ description: 'The kubeconfig context to use.' }),
  kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).' }),
  'request-timeout': Flags.integer({ default: 15, min: 1, description: 'Seconds to wait for each API request.' }),
}

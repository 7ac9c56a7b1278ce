// Runs `flux get image all` when a flux binary is on PATH, with the doctor's context,
// kubeconfig and namespace flags, and reads saved output for --flux-output.

import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { readText } from './manifests.js'

export interface FluxGetRun {
  stdout: string
  stderr: string
}

export interface FluxScope {
  context?: string
  kubeconfig?: string
  /** undefined means -A. */
  namespace?: string
  timeoutMs: number
}

/** The flux CLI's output, or undefined when there is no flux on PATH. */
export async function runFluxGetImageAll(scope: FluxScope): Promise<FluxGetRun | undefined> {
  // Looking first spares the common case (no flux here) execa's import and a failed spawn.
  if (!onPath('flux')) return undefined
  const { execa } = await import('execa')
  const args = ['get', 'image', 'all', ...(scope.namespace === undefined ? ['-A'] : ['-n', scope.namespace])]
  if (scope.context !== undefined) args.push('--context', scope.context)
  if (scope.kubeconfig !== undefined) args.push('--kubeconfig', scope.kubeconfig)
  const r = await execa('flux', args, { reject: false, timeout: scope.timeoutMs, stdin: 'ignore', env: { NO_COLOR: '1' } })
  if ((r as { code?: string }).code === 'ENOENT') return undefined
  const stderr = r.stderr
  // flux exits non-zero for errors before any table (bad kubeconfig, flags); say so even if it
  // printed no "✗" line.
  if (r.exitCode !== 0 && !/✗/.test(stderr)) return { stdout: r.stdout, stderr: `${stderr}\n✗ flux exited ${r.exitCode ?? 'on a signal'}${r.timedOut ? ' (timed out)' : ''}` }
  return { stdout: r.stdout, stderr }
}

/** Saved output (stdout and stderr pasted together), from a file or "-" for stdin. */
export async function readFluxOutput(path: string): Promise<FluxGetRun> {
  const text = await readText(path)
  const lines = text.split(/\r?\n/)
  return { stdout: lines.filter((l) => !/^\s*✗/.test(l)).join('\n'), stderr: lines.filter((l) => /^\s*✗/.test(l)).join('\n') }
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (dir === '') return false
    try {
      accessSync(join(dir, bin), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

// Runs the built CLI as a user would: a child process, its stdout, stderr and exit code.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * `fileSizeLimit` (KiB, bash's ulimit -f): a write past it fails with EFBIG, as on a full disk.
 * `timeout` (ms) kills a run that hangs; it then ends with code -1.
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; stdin?: string; cwd?: string; fileSizeLimit?: number; timeout?: number } = {}): Promise<RunResult> {
  const argv = opts.fileSizeLimit === undefined ? [process.execPath, BIN, ...args] : ['bash', '-c', `ulimit -f ${opts.fileSizeLimit} && exec "$0" "$@"`, process.execPath, BIN, ...args]
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/nonexistent', ...opts.env },
      ...(opts.timeout !== undefined ? { timeout: opts.timeout, killSignal: 'SIGKILL' as const } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(opts.stdin ?? '')
  })
}

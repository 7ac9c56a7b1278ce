// The Dockerfile: its runtime stage holds only what its COPY lines name, and that is enough to
// run serve (checked here without Docker, by copying exactly those paths). Where a Docker daemon
// answers, the image is built and run too; elsewhere that case is skipped with the reason.

import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/cli.js'

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
const [uid, gid] = (/\nUSER (\d+):(\d+)\n/.exec(runtime) ?? []).slice(1)

// Run as the image runs: its user, which has no passwd entry, with the environment a container
// runtime gives it (HOME=/, no SHELL). Only root can become that user; otherwise as this one.
const asImageUser = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0
const inImage = (args: string[], cwd: string) =>
  asImageUser
    ? spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH ?? '', HOME: '/' } })
    : spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 30000 })

describe('Dockerfile', () => {
  it('is small: node:20-slim, a non-root user, serve as the command', () => {
    expect(runtime).toMatch(/^\nFROM node:20-slim\n/)
    expect(runtime).toMatch(/\nUSER 65532:65532\n/)
    expect(runtime).toContain('ENTRYPOINT ["node", "/app/bin/run.js"]')
    expect(runtime).toMatch(/\nCMD \["serve",/)
  })

  it('copies into its runtime stage what serve needs to run, and nothing from node_modules', () => {
    const copies = [...runtime.matchAll(/^COPY --from=build \/src\/(\S+) (\S+)$/gm)].map((m) => [m[1] as string, m[2] as string])
    expect(copies.map(([from]) => from)).toEqual(['package.json', 'bin', 'dist'])
    const app = mkdtempSync(join(tmpdir(), 'fia-image-'))
    // /app in the image: root's, readable by all.
    chmodSync(app, 0o755)
    try {
      for (const [from, to] of copies) cpSync(join(ROOT, from), join(app, to === './' ? from : to), { recursive: true })
      const help = inImage([join(app, 'bin/run.js'), 'serve', '--help'], app)
      expect(help.status).toBe(0)
      expect(help.stdout).toMatch(/^Keep evaluating the doctor's checks/)
      // A start that gets as far as the kubeconfig: every module serve loads is there.
      const start = inImage([join(app, 'bin/run.js'), 'serve', '--kubeconfig', join(app, 'none'), '--listen', '127.0.0.1:0'], app)
      expect(start.status).toBe(2)
      expect(start.stderr).toContain(`error ERR_KUBECONFIG: kubeconfig ${join(app, 'none')} does not exist`)
    } finally {
      rmSync(app, { recursive: true, force: true })
    }
  })

  it('builds an image that answers --version and serve --help (needs a Docker daemon)', { timeout: 600000 }, (ctx) => {
    if (spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 10000 }).status !== 0) ctx.skip('no Docker daemon answers (docker info fails)')
    const build = spawnSync('docker', ['build', '-q', '-t', 'flux-imgauto:test', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 590000 })
    expect(build.status).toBe(0)
    const run = spawnSync('docker', ['run', '--rm', 'flux-imgauto:test', '--version'], { encoding: 'utf8', timeout: 60000 })
    expect(run.stdout).toMatch(/^flux-imgauto\/\S+ linux-/)
    // --version is answered before oclif loads; serve --help loads it, as the image's user.
    const help = spawnSync('docker', ['run', '--rm', 'flux-imgauto:test', 'serve', '--help'], { encoding: 'utf8', timeout: 60000 })
    expect(help.stdout).toMatch(/^Keep evaluating the doctor's checks/)
  })
})

// The three families of input that once held a run past 20 s end in a coded error or a
// result instead: a broken kubeconfig (a FIFO, a device, an exec plugin that never answers),
// truncated flux get output, and a pathological regex or range. Each child is killed at 15 s
// (code -1), so a hang fails the test instead of stalling it. (preview --out /proc/x and
// /sys/x: test/commands/preview-out.test.ts.)

import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { tempDir } from '../support/tree.js'

const KILL_AT = 15000

function kubeconfigWithExec(command: string, args: string[]): string {
  const file = join(tempDir(), 'config')
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ${command}\n      args: ${JSON.stringify(args)}\n`,
  )
  return file
}

describe('a broken kubeconfig ends in ERR_KUBECONFIG, never a hang', () => {
  it.each([
    ['a FIFO', () => {
      const fifo = join(tempDir(), 'fifo')
      execFileSync('mkfifo', [fifo])
      return fifo
    }, 'is not a regular file (a device, FIFO or socket)'],
    ['/dev/zero', () => '/dev/zero', 'kubeconfig /dev/zero is not a regular file (a device, FIFO or socket)'],
    ['a directory', () => tempDir(), 'is a directory'],
  ])('--kubeconfig %s', async (_name, make, message) => {
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', make(), '--json'], { timeout: KILL_AT })
    expect(r.code).toBe(2)
    const env = JSON.parse(r.stdout) as { errors: { code: string; message: string }[] }
    expect(env.errors).toEqual([expect.objectContaining({ code: 'ERR_KUBECONFIG', message: expect.stringContaining(message) })])
  })

  it('KUBECONFIG naming a FIFO', async () => {
    const fifo = join(tempDir(), 'fifo')
    execFileSync('mkfifo', [fifo])
    const r = await runCli(['doctor', '--no-flux'], { env: { KUBECONFIG: fifo }, timeout: KILL_AT })
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_KUBECONFIG: kubeconfig ${fifo} is not a regular file (a device, FIFO or socket)`)
  })

  it('an exec credential plugin that never answers is stopped at --request-timeout', async () => {
    const kubeconfig = kubeconfigWithExec('sleep', ['120'])
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--request-timeout', '1'], { timeout: KILL_AT })
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe("error ERR_KUBECONFIG: the kubeconfig's exec credential plugin (sleep) gave no credential within 1s (context c)")
  })
})

describe('truncated flux get output ends in a result or ERR_FLUX_OUTPUT', () => {
  const text = readFileSync('fixtures/flux/get-image-all-A.txt', 'utf8')
  it.each([
    ['cut inside the first header', text.slice(0, 30), 2],
    ['cut inside a row', text.slice(0, Math.floor(text.length / 2)), 1],
    ['the head cut off', text.slice(Math.floor(text.length / 3)), 2],
  ])('%s', async (_name, cut, code) => {
    const file = join(tempDir(), 'flux.txt')
    writeFileSync(file, cut)
    const r = await runCli(['doctor', '--flux-output', file, '-A', '--json'], { timeout: KILL_AT })
    expect(r.code).toBe(code)
    const env = JSON.parse(r.stdout) as { errors: { code: string }[] }
    expect(env.errors.map((e) => e.code)).toEqual(code === 2 ? ['ERR_FLUX_OUTPUT'] : [])
  })
})

describe('a pathological regex or range ends in a result', () => {
  it.each([
    ['filterTags (a+)+$ over long tags', "  filterTags: {pattern: '^(a+)+$'}\n  policy: {alphabetical: {order: asc}}\n", `${'a'.repeat(5000)}!`],
    ['a range of 20,000 alternatives', `  policy: {semver: {range: '${Array.from({ length: 20000 }, (_, i) => `1.${i}.x`).join(' || ')}'}}\n`, '1.19999.0'],
    ['a range of 100,000 digits', `  policy: {semver: {range: '>=${'9'.repeat(100000)}'}}\n`, '1.0.0'],
  ])('%s', async (_name, spec, tag) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'p.yaml'), `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: r}\n${spec}`)
    writeFileSync(join(dir, 'tags.txt'), Array.from({ length: 200 }, (_, i) => (i === 0 ? tag : `${'a'.repeat(40)}${i}!`)).join('\n') + '\n')
    const r = await runCli(['explain', 'policy', '--file', join(dir, 'p.yaml'), '--tags-file', join(dir, 'tags.txt'), '--json'], { timeout: KILL_AT })
    expect([0, 1]).toContain(r.code)
    expect(JSON.parse(r.stdout).kind).toBe('PolicyExplanation')
  })
})

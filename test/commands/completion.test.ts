// Completion as the flux CLI asks for it (`flux-imgauto __complete <args…> <word>`, Cobra's
// protocol, fluxcd/flux2 internal/plugin/completion.go) and as a real bash runs the script
// `completion bash` prints.

import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'
import { tempDir } from '../support/tree.js'

const complete = async (...words: string[]) => {
  const r = await runCli(['__complete', ...words])
  expect(r.code).toBe(0)
  const lines = r.stdout.split('\n').filter(Boolean)
  return { candidates: lines.slice(0, -1), directive: lines.at(-1), stderr: r.stderr }
}

describe('__complete (Cobra protocol)', () => {
  it('offers the commands and topics, with descriptions, and no file completion', async () => {
    const r = await complete('')
    expect(r.candidates.map((c) => c.split('\t')[0])).toEqual(['codes', 'completion', 'doctor', 'explain', 'lint', 'mcp', 'preview', 'scaffold', 'serve', 'template', 'trace'])
    expect(r.candidates).toContain('explain\tExplain how Flux evaluates an object.')
    expect(r.directive).toBe(':4')
    expect(r.stderr).toBe('Completion ended with directive: ShellCompDirectiveNoFileComp\n')
    expect((await complete('exp')).candidates.map((c) => c.split('\t')[0])).toEqual(['explain'])
    expect((await complete('explain', '')).candidates.map((c) => c.split('\t')[0])).toEqual(['policy'])
  })

  it('completes flags, their values, and --flag=value', async () => {
    const flags = (await complete('lint', '--')).candidates.map((c) => c.split('\t')[0])
    expect(flags).toEqual(['--json', '--fail-on', '--namespace', '--flux-version', '--output', '--help'])
    expect((await complete('lint', '-')).candidates.map((c) => c.split('\t')[0])).toEqual(['--json', '--fail-on', '--namespace', '-n', '--flux-version', '--output', '-o', '--help'])
    expect(await complete('lint', '--output', '')).toMatchObject({ candidates: ['table', 'json', 'junit', 'sarif'], directive: ':4' })
    expect(await complete('trace', '-o', 's')).toMatchObject({ candidates: ['sarif'] })
    expect(await complete('lint', '--output=j')).toMatchObject({ candidates: ['--output=json', '--output=junit'] })
    // A flag already given is not offered again; --no-<flag> for negatable ones.
    expect((await complete('doctor', '-A', '--no')).candidates.map((c) => c.split('\t')[0])).toEqual(['--no-flux', '--now'])
    expect((await complete('lint', '--json', '--j')).candidates).toEqual([])
  })

  it('leaves paths to the shell, and answers --help as a word, not with the help text', async () => {
    expect(await complete('lint', '')).toMatchObject({ candidates: [], directive: ':0' })
    expect(await complete('doctor', '--snapshot', '')).toMatchObject({ candidates: [], directive: ':0' })
    expect(await complete('lint', '--help', '')).toMatchObject({ candidates: [], directive: ':0' })
    expect(await complete('explain', 'policy', '')).toMatchObject({ candidates: [], directive: ':4' })
  })

  it('names the kubeconfig contexts for --context', async () => {
    const dir = tempDir()
    const kubeconfig = join(dir, 'config')
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: prod-eu\n  context: {cluster: a, user: a}\n- name: prod-us\n  context: {cluster: b, user: b}\n- name: dev\n  context: {cluster: c, user: c}\n')
    expect((await complete('doctor', '--kubeconfig', kubeconfig, '--context', 'prod')).candidates).toEqual(['prod-eu', 'prod-us'])
    const viaEnv = await runCli(['__complete', 'trace', '--context', ''], { env: { KUBECONFIG: kubeconfig } })
    expect(viaEnv.stdout).toBe('prod-eu\nprod-us\ndev\n:4\n')
  })

  it('__completeNoDesc prints values only', async () => {
    const r = await runCli(['__completeNoDesc', 'e'])
    expect(r.stdout).toBe('explain\n:4\n')
  })
})

describe('completion bash, in a real bash', () => {
  // flux-imgauto on PATH, as an installed CLI would be.
  const bin = tempDir()
  writeFileSync(join(bin, 'flux-imgauto'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" "$@"\n`)
  chmodSync(join(bin, 'flux-imgauto'), 0o755)

  const tab = async (line: string, words: string[]) => {
    const script = (await runCli(['completion', 'bash'])).stdout
    const file = join(tempDir(), 'completion.bash')
    writeFileSync(file, script)
    // What bash sets before it calls a completion function, for the cursor at the end of the line.
    const program = [
      `source ${file}`,
      `complete -p flux-imgauto`,
      `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
      `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}`,
      `_flux_imgauto`,
      `compgen -W "\${COMPREPLY[*]}" -- "\${COMP_WORDS[COMP_CWORD]}"`,
    ].join('\n')
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: tempDir() }, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    const [registration, ...reply] = r.stdout.split('\n').filter(Boolean)
    expect(registration).toBe('complete -F _flux_imgauto flux-imgauto')
    return reply
  }

  it('completes commands, subcommands, flag values and --flag=value', async () => {
    expect(await tab('flux-imgauto li', ['flux-imgauto', 'li'])).toEqual(['lint'])
    expect(await tab('flux-imgauto explain p', ['flux-imgauto', 'explain', 'p'])).toEqual(['policy'])
    expect(await tab('flux-imgauto lint . --output ', ['flux-imgauto', 'lint', '.', '--output', ''])).toEqual(['table', 'json', 'junit', 'sarif'])
    // bash splits "--output=s" at "=" (COMP_WORDBREAKS): the reply replaces only the "s".
    expect(await tab('flux-imgauto lint --output=s', ['flux-imgauto', 'lint', '--output', '=', 's'])).toEqual(['sarif'])
  })
})

describe('completion bash with names bash would split', () => {
  it('an EKS context (colons) completes to the part bash replaces', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'config'), 'apiVersion: v1\nkind: Config\ncontexts:\n- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod\n  context: {cluster: a, user: a}\n')
    const script = join(dir, 'completion.bash')
    writeFileSync(script, (await runCli(['completion', 'bash'])).stdout)
    const bin = tempDir()
    writeFileSync(join(bin, 'flux-imgauto'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" "$@"\n`)
    chmodSync(join(bin, 'flux-imgauto'), 0o755)
    // "doctor --context arn:aws:e" splits, under COMP_WORDBREAKS, into … arn : aws : e
    const program = `source ${script}\nCOMP_LINE='flux-imgauto doctor --context arn:aws:e'; COMP_POINT=\${#COMP_LINE}\nCOMP_WORDS=(flux-imgauto doctor --context arn : aws : e); COMP_CWORD=7\n_flux_imgauto\nprintf '%s\\n' "\${COMPREPLY[@]}"`
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, KUBECONFIG: join(dir, 'config'), HOME: dir }, encoding: 'utf8' })
    expect(r.stdout).toBe('eks:eu-west-1:123456789012:cluster/prod\n')
  })
})

const KUBECTL = '/usr/bin/kubectl'
describe.skipIf(!existsSync(KUBECTL))(`as a kubectl plugin${existsSync(KUBECTL) ? '' : ` (skipped: the real kubectl is expected at ${KUBECTL} and is not there)`}`, () => {
  it('kubectl runs kubectl-flux_imgauto as kubectl flux-imgauto, and completes it through kubectl_complete-flux_imgauto', async () => {
    const bin = tempDir()
    writeFileSync(join(bin, 'kubectl-flux_imgauto'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" "$@"\n`)
    writeFileSync(join(bin, 'kubectl_complete-flux_imgauto'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" __complete "$@"\n`)
    for (const f of ['kubectl-flux_imgauto', 'kubectl_complete-flux_imgauto']) chmodSync(join(bin, f), 0o755)
    const kubectl = (...args: string[]) => spawnSync(KUBECTL, args, { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: tempDir(), KUBECONFIG: '/nonexistent' }, encoding: 'utf8' })
    expect(kubectl('__complete', 'flux-im').stdout).toContain('flux-imgauto\tThe command flux-imgauto is a plugin installed by the user\n')
    expect(kubectl('__complete', 'flux-imgauto', 'lint', '--output', '').stdout).toBe('table\njson\njunit\nsarif\n:4\n')
    const codes = kubectl('flux-imgauto', 'codes', '-o', 'json')
    expect(JSON.parse(codes.stdout)).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'CodeCatalogue' })
  })
})

// zsh and fish are installed by test/support/install-deps.sh; where they are absent the
// functional tests are skipped, saying so.
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0

describe('completion zsh and fish', () => {
  const bin = tempDir()
  writeFileSync(join(bin, 'flux-imgauto'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" "$@"\n`)
  chmodSync(join(bin, 'flux-imgauto'), 0o755)
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: tempDir() }

  it.skipIf(!has('zsh'))(`zsh: the function hands __complete's values to _describe${has('zsh') ? '' : ' (skipped: no zsh on PATH)'}`, async () => {
    const script = join(tempDir(), '_flux-imgauto')
    writeFileSync(script, (await runCli(['completion', 'zsh'])).stdout)
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0)
    // The completion system's _describe and _files, replaced by stand-ins that print what they get.
    const program = `compdef() {}; source ${script}; _describe() { print -rl -- "\${(@P)\${@[4]}}" }; _files() { print FILES }
words=(flux-imgauto li); CURRENT=2; _flux_imgauto
words=(flux-imgauto lint --output ""); CURRENT=4; _flux_imgauto
words=(flux-imgauto lint ""); CURRENT=3; _flux_imgauto`
    const r = spawnSync('zsh', ['-f', '-c', program], { env, encoding: 'utf8' })
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'lint:Check the image automation manifests and markers in a repository for the known footguns.',
      'table',
      'json',
      'junit',
      'sarif',
      'FILES',
    ])
  })

  it.skipIf(!has('fish'))(`fish: complete -C completes through the script${has('fish') ? '' : ' (skipped: no fish on PATH)'}`, async () => {
    const script = join(tempDir(), 'flux-imgauto.fish')
    writeFileSync(script, (await runCli(['completion', 'fish'])).stdout)
    const r = spawnSync('fish', ['--no-config', '-c', `source ${script}; complete -C 'flux-imgauto expl'; complete -C 'flux-imgauto trace -o '`], { env, encoding: 'utf8' })
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['explain\tExplain how Flux evaluates an object.', 'json', 'sarif', 'table'])
  })

  it.each(['zsh', 'fish'])('%s: a script that asks __complete, registered for flux-imgauto', async (shell) => {
    const r = await runCli(['completion', shell])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(' __complete ')
    expect(r.stdout).toMatch(shell === 'zsh' ? /^compdef _flux_imgauto flux-imgauto$/m : /^complete -c flux-imgauto -f -a/m)
  })

  it('refuses another shell in one coded line', async () => {
    const r = await runCli(['completion', 'powershell'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_USAGE: /)
  })
})

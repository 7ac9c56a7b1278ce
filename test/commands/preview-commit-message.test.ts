// preview renders the automation's own messageTemplate, as image-automation-controller does,
// and reports the template errors that stop Flux from committing.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const M = '# {"$imagepolicy": "flux-system:app"}'
const POLICIES = 'fixtures/markers/app-policies.yaml'

function automation(commit: string): string {
  return `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {name: fluxbot, email: flux@example.com}
${commit}
  update: {path: ./, strategy: Setters}
`
}

describe('preview: the commit message', () => {
  it('renders messageTemplate with messageTemplateValues over the changes', async () => {
    const root = writeTree({
      'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: apps\nspec:\n  image: ghcr.io/org/app:1.0.0 ${M}\n`,
      'automation.yaml': automation(`      messageTemplate: |-
        [{{ .Values.env }}] {{ .AutomationObject }}
        {{ range $obj, $changes := .Changed.Objects -}}
        - {{ $obj.Kind }} {{ $obj.Namespace }}/{{ $obj.Name }}: {{ range $changes }}{{ .OldValue }} -> {{ .NewValue }}{{ end }}
        {{ end -}}
      messageTemplateValues:
        env: staging`),
    })
    const r = await runCli(['preview', join(root, 'deploy.yaml'), '--automation-file', join(root, 'automation.yaml'), '--policies-file', POLICIES, '--json'])
    expect(r.stderr).toBe('')
    const env = JSON.parse(r.stdout)
    expect(env.result.commitMessage).toBe('[staging] flux-system/apps\n- Deployment apps/app: ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.2.0\n')
    const text = await runCli(['preview', join(root, 'deploy.yaml'), '--automation-file', join(root, 'automation.yaml'), '--policies-file', POLICIES])
    expect(text.stdout).toContain('Commit message:\n  [staging] flux-system/apps\n  - Deployment apps/app: ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.2.0\n')
  })

  it.each([
    ['{{ range .Updated.Images }}{{ . }}{{ end }}', 'FIA503', "template uses removed '.Updated' field"],
    ['{{ .Nope }}', 'FIA346', 'failed to update source: failed to run template from spec: template: commit message:1:3: executing "commit message" at <.Nope>: can\'t evaluate field Nope in type source.TemplateData'],
    ['{{ if }}', 'FIA346', 'failed to update source: unable to create commit message template from spec: template: commit message:1: missing value for if'],
  ])('%j: Flux commits nothing (%s)', async (template, code, message) => {
    const root = writeTree({
      'deploy.yaml': `image: ghcr.io/org/app:1.0.0 ${M}\n`,
      'automation.yaml': automation(`      messageTemplate: '${template}'`),
    })
    const r = await runCli(['preview', join(root, 'deploy.yaml'), '--automation-file', join(root, 'automation.yaml'), '--policies-file', POLICIES, '--json'])
    const env = JSON.parse(r.stdout)
    expect(r.code).toBe(1)
    expect(env.result.commitMessage).toBeNull()
    expect(env.result.commitMessageError.message).toContain(message)
    expect(env.findings.find((f: { code: string }) => f.code === code)).toMatchObject({ severity: 'error', message: expect.stringContaining(message) })
  })
  it("names a Sprig function it cannot render instead of guessing the message ('FIA347')", async () => {
    const root = writeTree({
      'deploy.yaml': `image: ghcr.io/org/app:1.0.0 ${M}\n`,
      'automation.yaml': automation(`      messageTemplate: '{{ toJson .Values }}'`),
    })
    const r = await runCli(['preview', join(root, 'deploy.yaml'), '--automation-file', join(root, 'automation.yaml'), '--policies-file', POLICIES, '--json'])
    const env = JSON.parse(r.stdout)
    expect(r.code).toBe(0)
    expect(env.result.commitMessage).toBeNull()
    expect(env.findings.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([['FIA347', 'info']])
  })
})

describe('template: the playground', () => {
  it('renders a template over the sample changes, and says when Flux would order them otherwise', async () => {
    const r = await runCli(['template', '--template', '{{ range $f, $_ := .Changed.FileChanges }}{{ $f }};{{ end }}', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).result).toEqual({ automation: { namespace: 'flux-system', name: 'sample' }, sample: true, message: 'apps/podinfo/deployment.yaml;apps/web/release.yaml;' })
  })

  it('reads the changes preview --json printed, and the template from the automation', async () => {
    const root = writeTree({
      'automation.yaml': automation(`      messageTemplate: '{{ .AutomationObject }}: {{ range .Changed.Changes }}{{ .NewValue }}{{ end }} ({{ .Values.env }})'
      messageTemplateValues: {env: prod}`),
      'changes.json': JSON.stringify({ 'a.yaml': { 'apps/v1/Deployment/apps/app': [{ oldValue: 'x:1', newValue: 'x:2', setter: 'flux-system:app' }] } }),
    })
    const r = await runCli(['template', '--automation-file', join(root, 'automation.yaml'), '--changes', join(root, 'changes.json')])
    expect(r.stdout).toBe('flux-system/apps: x:2 (prod)\n')
    expect(r.code).toBe(0)
  })

  it.each([
    [['template'], 'ERR_USAGE'],
    [['template', '--template', 'x', '--changes', 'fixtures/markers/app-policies.yaml'], 'ERR_MANIFEST'],
  ])('%j → %s', async (args, code) => {
    const r = await runCli(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`^error ${code}: `))
  })
})

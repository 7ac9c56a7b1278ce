// Flux's commit message: the Go text/template engine and the data image-automation-controller
// gives it. The expected texts in CASES were produced by Go's own text/template (Go 1.19, the
// version Debian ships here) over the same TemplateData types as IAC v1.2.1 (internal/source
// TemplateData, internal/update Result/ObjectIdentifier/Change), with the Go type names of the
// harness's package rewritten to Flux's (source.TemplateData, update.Result).

import { describe, expect, it } from 'vitest'
import { renderCommitMessage } from '../../src/core/markers/commit-message.js'
import type { FileUpdate } from '../../src/core/markers/update.js'
import type { ObjectId } from '../../src/core/markers/yaml-file.js'

const oid = (apiVersion: string, kind: string, name: string, namespace: string): ObjectId => ({ apiVersion, kind, name, namespace })
const ch = (oldValue: string, newValue: string, setter: string) => ({ oldValue, newValue, setter })
// Only the file and its objects reach the template.
const update = (file: string, objects: FileUpdate['objects']): FileUpdate => ({ file, objects, recordedAs: file }) as unknown as FileUpdate

const ONE = [update('apps/a.yaml', [{ object: oid('apps/v1', 'Deployment', 'a', 'default'), changes: [ch('ghcr.io/x/a:1.0.0', 'ghcr.io/x/a:1.1.0', 'flux-system:a')] }])]
const MANY = [
  ONE[0] as FileUpdate,
  update('b.yaml', [
    { object: oid('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'b', ''), changes: [ch('1.0', '2.0', 'flux-system:b:tag'), ch('ghcr.io/x/b', 'ghcr.io/y/b', 'flux-system:b:name')] },
    { object: oid('v1', 'ConfigMap', 'c', 'apps'), changes: [ch('3', '4', 'flux-system:c:tag')] },
  ]),
]
const AUTOMATION = { namespace: 'flux-system', name: 'auto' }

function render(template: string, updates: FileUpdate[], values?: Record<string, string>): string {
  const r = renderCommitMessage(AUTOMATION, { messageTemplate: template, ...(values ? { messageTemplateValues: values } : {}) }, updates)
  if (r.ok) return r.message
  if (r.reason === 'RemovedTemplateField') return `REMOVED: ${r.message}`
  const parse = 'failed to update source: unable to create commit message template from spec: '
  const exec = 'failed to update source: failed to run template from spec: '
  if (r.message.startsWith(parse)) return `PARSE: ${r.message.slice(parse.length)}`
  if (r.message.startsWith(exec)) return `EXEC: ${r.message.slice(exec.length)}`
  return r.message
}

// [template, with ONE (no messageTemplateValues), with MANY (values env=prod, team="a b")]
const CASES: [string, string, string][] = [
  ["Automated image update\n\nAutomation name: {{ .AutomationObject }}\n\nFiles:\n{{ range $filename, $_ := .Changed.FileChanges -}}\n- {{ $filename }}\n{{ end -}}\n\nObjects:\n{{ range $resource, $changes := .Changed.Objects -}}\n- {{ $resource.Kind }} {{ $resource.Name }}\n  Changes:\n{{- range $_, $change := $changes }}\n    - {{ $change.OldValue }} -> {{ $change.NewValue }}\n{{ end -}}\n{{ end -}}\n", "Automated image update\n\nAutomation name: flux-system/auto\n\nFiles:\n- apps/a.yaml\nObjects:\n- Deployment a\n  Changes:\n    - ghcr.io/x/a:1.0.0 -> ghcr.io/x/a:1.1.0\n", "Automated image update\n\nAutomation name: flux-system/auto\n\nFiles:\n- apps/a.yaml\n- b.yaml\nObjects:\n- Deployment a\n  Changes:\n    - ghcr.io/x/a:1.0.0 -> ghcr.io/x/a:1.1.0\n- HelmRelease b\n  Changes:\n    - 1.0 -> 2.0\n\n    - ghcr.io/x/b -> ghcr.io/y/b\n- ConfigMap c\n  Changes:\n    - 3 -> 4\n"],
  ["{{ .AutomationObject.Namespace }}/{{ .AutomationObject.Name }}", "flux-system/auto", "flux-system/auto"],
  ["{{ range $file, $objs := .Changed.FileChanges }}{{ $file }}: {{ range $obj, $chs := $objs }}{{ $obj.Kind }}/{{ $obj.Namespace }}/{{ $obj.Name }} {{ len $chs }};{{ end }}{{ end }}", "apps/a.yaml: Deployment/default/a 1;", "apps/a.yaml: Deployment/default/a 1;b.yaml: HelmRelease//b 2;ConfigMap/apps/c 1;"],
  ["Object: {{ range $o, $_ := .Changed.Objects }}{{ $o.Kind }}/{{ $o.Namespace }}/{{ $o.Name }} {{ end }}", "Object: Deployment/default/a ", "Object: Deployment/default/a HelmRelease//b ConfigMap/apps/c "],
  ["{{ .Changed.FileChanges }}", "map[apps/a.yaml:map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}]]]", "map[apps/a.yaml:map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}]] b.yaml:map[{{{helm.toolkit.fluxcd.io/v2 HelmRelease} {b }}}:[{1.0 2.0 flux-system:b:tag} {ghcr.io/x/b ghcr.io/y/b flux-system:b:name}] {{{v1 ConfigMap} {c apps}}}:[{3 4 flux-system:c:tag}]]]"],
  ["{{ .Changed.Objects }}", "map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}]]", "map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}] {{{helm.toolkit.fluxcd.io/v2 HelmRelease} {b }}}:[{1.0 2.0 flux-system:b:tag} {ghcr.io/x/b ghcr.io/y/b flux-system:b:name}] {{{v1 ConfigMap} {c apps}}}:[{3 4 flux-system:c:tag}]]"],
  ["{{ .Values }}|{{ .Values.env }}|{{ .Values.missing }}|{{ index .Values \"team\" }}|{{ index .Values \"nope\" }}|", "map[]|<no value>|<no value>|||", "map[env:prod team:a b]|prod|<no value>|a b||"],
  ["{{ if .Values.env }}env={{ .Values.env }}{{ else }}no env{{ end }}", "no env", "env=prod"],
  ["{{ with .Values.env }}[{{ . }}]{{ else }}none{{ end }}", "none", "[prod]"],
  ["{{ if eq .Values.env \"prod\" }}P{{ else if eq .Values.env \"dev\" }}D{{ else }}?{{ end }}", "?", "P"],
  ["{{ len .Changed.FileChanges }} file(s), {{ len .Changed.Objects }} object(s)", "1 file(s), 1 object(s)", "2 file(s), 3 object(s)"],
  ["{{ printf \"%s has %d files %q %v\" .AutomationObject.Name (len .Changed.FileChanges) .AutomationObject.Namespace .AutomationObject }}", "auto has 1 files \"flux-system\" flux-system/auto", "auto has 2 files \"flux-system\" flux-system/auto"],
  ["{{ print 1 2 \"a\" 3 4 }}|{{ println \"x\" 1 }}|{{ print }}", "1 2a3 4|x 1\n|", "1 2a3 4|x 1\n|"],
  ["{{- /* a comment */ -}}\n  hello  {{- \" world\" -}}  !", "hello world!", "hello world!"],
  ["{{ $n := 0 }}{{ range $k, $v := .Changed.FileChanges }}{{ $n = 1 }}{{ end }}{{ $n }}", "1", "1"],
  ["{{ range $i, $x := .Changed.Changes }}{{ $i }}:{{ $x.Setter }} {{ end }}", "0:flux-system:a ", "0:flux-system:a 1:flux-system:b:tag 2:flux-system:b:name 3:flux-system:c:tag "],
  ["{{ .Updated }}", "EXEC: template: commit message:1:3: executing \"commit message\" at <.Updated>: can't evaluate field Updated in type source.TemplateData", "EXEC: template: commit message:1:3: executing \"commit message\" at <.Updated>: can't evaluate field Updated in type source.TemplateData"],
  ["{{ range .Updated.Images }}{{ . }}{{ end }}", "EXEC: template: commit message:1:17: executing \"commit message\" at <.Updated.Images>: can't evaluate field Updated in type source.TemplateData", "EXEC: template: commit message:1:17: executing \"commit message\" at <.Updated.Images>: can't evaluate field Updated in type source.TemplateData"],
  ["{{ .Changed.ImageResult }}", "EXEC: template: commit message:1:11: executing \"commit message\" at <.Changed.ImageResult>: can't evaluate field ImageResult in type update.Result", "EXEC: template: commit message:1:11: executing \"commit message\" at <.Changed.ImageResult>: can't evaluate field ImageResult in type update.Result"],
  ["{{ .Nope", "PARSE: template: commit message:1: unclosed action", "PARSE: template: commit message:1: unclosed action"],
  ["{{ end }}", "PARSE: template: commit message:1: unexpected {{end}}", "PARSE: template: commit message:1: unexpected {{end}}"],
  ["{{ if }}x{{ end }}", "PARSE: template: commit message:1: missing value for if", "PARSE: template: commit message:1: missing value for if"],
  ["{{ range .Changed.FileChanges }}{{ break }}{{ end }}ok", "ok", "ok"],
  ["{{ break }}", "PARSE: template: commit message:1: {{break}} outside {{range}}", "PARSE: template: commit message:1: {{break}} outside {{range}}"],
  ["{{ undefinedFunc 1 }}", "PARSE: template: commit message:1: function \"undefinedFunc\" not defined", "PARSE: template: commit message:1: function \"undefinedFunc\" not defined"],
  ["{{ $x }}", "PARSE: template: commit message:1: undefined variable \"$x\"", "PARSE: template: commit message:1: undefined variable \"$x\""],
  ["{{ .AutomationObject.Name.Foo }}", "EXEC: template: commit message:1:20: executing \"commit message\" at <.AutomationObject.Name.Foo>: can't evaluate field Foo in type string", "EXEC: template: commit message:1:20: executing \"commit message\" at <.AutomationObject.Name.Foo>: can't evaluate field Foo in type string"],
  ["{{ index .Changed.FileChanges \"apps/a.yaml\" }}", "map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}]]", "map[{{{apps/v1 Deployment} {a default}}}:[{ghcr.io/x/a:1.0.0 ghcr.io/x/a:1.1.0 flux-system:a}]]"],
  ["{{ and .Values.env \"yes\" }}|{{ or .Values.none \"fallback\" }}|{{ not .Values.env }}", "<no value>|fallback|true", "yes|fallback|false"],
  ["{{ lt 1 2 }} {{ gt \"b\" \"a\" }} {{ le 2 2 }} {{ ge 1 2 }} {{ ne 1 2 }} {{ eq 1 2 3 1 }}", "true true true false true true", "true true true false true true"],
  ["{{ eq 1 \"a\" }}", "EXEC: template: commit message:1:3: executing \"commit message\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison", "EXEC: template: commit message:1:3: executing \"commit message\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison"],
  ["{{ 1.5 }} {{ 1e6 }} {{ 123456.0 }} {{ 0x1F }} {{ 1e21 }} {{ .0001 }} {{ 0.00001 }}", "1.5 1e+06 123456 31 1e+21 0.0001 1e-05", "1.5 1e+06 123456 31 1e+21 0.0001 1e-05"],
  ["{{ html \"<a href='x'>&\" }} {{ urlquery \"a b&c=d/é\" }}", "&lt;a href=&#39;x&#39;&gt;&amp; a+b%26c%3Dd%2F%C3%A9", "&lt;a href=&#39;x&#39;&gt;&amp; a+b%26c%3Dd%2F%C3%A9"],
  ["{{ range $k, $v := .Values }}{{ $k }}={{ $v }};{{ else }}empty{{ end }}", "empty", "env=prod;team=a b;"],
  ["{{ range .Changed.Changes }}{{ .OldValue }} -> {{ .NewValue }}\n{{ end }}", "ghcr.io/x/a:1.0.0 -> ghcr.io/x/a:1.1.0\n", "ghcr.io/x/a:1.0.0 -> ghcr.io/x/a:1.1.0\n1.0 -> 2.0\nghcr.io/x/b -> ghcr.io/y/b\n3 -> 4\n"],
  ["{{ template \"x\" . }}{{ define \"x\" }}[{{ .AutomationObject }}]{{ end }}", "[flux-system/auto]", "[flux-system/auto]"],
  ["{{ block \"b\" .Values }}{{ .env }}{{ end }}", "<no value>", "prod"],
  ["{{ .AutomationObject | printf \"%v!\" }}", "flux-system/auto!", "flux-system/auto!"],
  ["{{ \"a\" | printf \"%s-%s\" \"b\" }}", "b-a", "b-a"],
  ["{{ (index .Values \"env\") }}", "", "prod"],
  ["{{ .Changed.FileChanges.missing }}", "<no value>", "<no value>"],
  ["{{ len 3 }}", "EXEC: template: commit message:1:3: executing \"commit message\" at <len 3>: error calling len: len of type int", "EXEC: template: commit message:1:3: executing \"commit message\" at <len 3>: error calling len: len of type int"],
  ["{{ index .Values 1 }}", "EXEC: template: commit message:1:3: executing \"commit message\" at <index .Values 1>: error calling index: value has type int; should be string", "EXEC: template: commit message:1:3: executing \"commit message\" at <index .Values 1>: error calling index: value has type int; should be string"],
  ["{{ printf \"%d\" \"x\" }} {{ printf \"%s\" 3 }} {{ printf \"%s\" }} {{ printf \"a\" 1 }}", "%!d(string=x) %!s(int=3) %!s(MISSING) a%!(EXTRA int=1)", "%!d(string=x) %!s(int=3) %!s(MISSING) a%!(EXTRA int=1)"],
  ["{{ .Changed.Changes 1 }}", "EXEC: template: commit message:1:11: executing \"commit message\" at <.Changed.Changes>: wrong number of args for Changes: want 0 got 1", "EXEC: template: commit message:1:11: executing \"commit message\" at <.Changed.Changes>: wrong number of args for Changes: want 0 got 1"],
  ["{{ \"unterminated }}", "PARSE: template: commit message:1: unterminated quoted string", "PARSE: template: commit message:1: unterminated quoted string"],
  ["{{ 'ab' }}", "PARSE: template: commit message:1: malformed character constant: 'ab'", "PARSE: template: commit message:1: malformed character constant: 'ab'"],
  ["{{ 'a' }}", "97", "97"],
  ["{{ $x := 1 }}{{ $x := 2 }}{{ $x }}", "2", "2"],]

describe('the commit message template, as Go executes it', () => {
  it.each(CASES)('%j', (template, one, many) => {
    // Flux turns these two field errors into its RemovedTemplateField message.
    const expectOne = one.includes("can't evaluate field Updated in type source.TemplateData") || one.includes("can't evaluate field ImageResult in type update.Result") ? null : one
    if (expectOne === null) {
      expect(render(template, ONE)).toMatch(/^REMOVED: template uses removed '\.(Updated|Changed\.ImageResult)' field/)
      return
    }
    expect(render(template, ONE)).toBe(one)
    // .Changed.Changes over several files walks Go maps: Flux's order varies, ours is file order.
    if (!template.includes('.Changed.Changes')) expect(render(template, MANY, { env: 'prod', team: 'a b' })).toBe(many)
  })

  it('ranges over an integer, as Go 1.22 and later (every Flux 2.3+ controller) do', () => {
    expect(render('{{ range 3 }}{{ . }}{{ end }}', ONE)).toBe('012')
  })

  it('renders the default message when the template is empty', () => {
    expect(renderCommitMessage(AUTOMATION, undefined, ONE)).toEqual({ ok: true, message: 'Update from image update automation' })
    expect(renderCommitMessage(AUTOMATION, { messageTemplate: '' }, ONE)).toEqual({ ok: true, message: 'Update from image update automation' })
  })

  it("quotes Flux's RemovedTemplateField messages", () => {
    expect(renderCommitMessage(AUTOMATION, { messageTemplate: '{{ range .Updated.Images }}{{ . }}{{ end }}' }, ONE)).toEqual({
      ok: false,
      reason: 'RemovedTemplateField',
      message: "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template",
    })
    expect(renderCommitMessage(AUTOMATION, { messageTemplate: '{{ .Changed.ImageResult }}' }, ONE)).toMatchObject({ ok: false, reason: 'RemovedTemplateField', message: expect.stringContaining("'.Changed.ImageResult'") })
  })

  it('says when Flux lists changes in an order that varies between runs', () => {
    const r = renderCommitMessage(AUTOMATION, { messageTemplate: '{{ range .Changed.Changes }}{{ .NewValue }} {{ end }}' }, MANY)
    expect(r).toMatchObject({ ok: true, message: 'ghcr.io/x/a:1.1.0 2.0 ghcr.io/y/b 4 ', orderNote: expect.stringContaining('varies from run to run') })
    expect(renderCommitMessage(AUTOMATION, { messageTemplate: '{{ range .Changed.Changes }}{{ .NewValue }} {{ end }}' }, ONE)).not.toHaveProperty('orderNote')
  })

  it('runs the Sprig functions it implements, and names the one it does not', () => {
    expect(render('{{ .AutomationObject.Name | upper }} {{ .Values.env | default "dev" | quote }} {{ list "a" "b" | join "," }} {{ "x-" | trimSuffix "-" }} {{ "a\\nb" | indent 2 }}', ONE)).toBe('AUTO "dev" a,b x   a\n  b')
    expect(renderCommitMessage(AUTOMATION, { messageTemplate: '{{ toJson .Values }}' }, ONE)).toEqual({ ok: false, reason: 'Unsupported', message: 'the template calls the Sprig function toJson, which flux-imgauto does not render; Flux accepts it' })
    // A name neither Go nor Sprig defines is Flux's parse error.
    expect(render('{{ nosuch . }}', ONE)).toBe('PARSE: template: commit message:1: function "nosuch" not defined')
  })
})

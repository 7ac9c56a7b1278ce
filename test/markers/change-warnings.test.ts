// What a pending write changes beyond a newer tag: trace says when Flux would rewrite the
// image name (another registry or repository), downgrade, or cross a major version.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

function policies(name: string, tag: string): string {
  return `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: app, namespace: flux-system}
spec: {imageRepositoryRef: {name: app}, policy: {semver: {range: ">=0.0.0"}}}
status: {latestRef: {name: ${name}, tag: "${tag}"}}
`
}

async function warnings(field: string, name: string, tag: string): Promise<[string, string][]> {
  const root = writeTree({ 'apps/deploy.yaml': `${field} # {"$imagepolicy": "flux-system:app${field.startsWith('tag:') ? ':tag' : ''}"}\n`, 'policies.yaml': policies(name, tag) })
  const r = await runCli(['trace', join(root, 'apps'), '--policies-file', join(root, 'policies.yaml'), '--json'])
  const [entry] = JSON.parse(r.stdout).result.markers as { status: string; warnings: { code: string; message: string }[] }[]
  expect(entry?.status).toBe('update')
  return (entry?.warnings ?? []).map((w) => [w.code, w.message])
}

describe('trace: what a pending update really changes', () => {
  it.each([
    // The field's registry differs from the one the policy scans: Flux rewrites the host.
    ['image: myacr.azurecr.io/drupal:1.0.0', 'drupalcsitestacr.azurecr.io/drupal', '1.1.0', [['FIA334', 'Flux would rewrite the image name myacr.azurecr.io/drupal to drupalcsitestacr.azurecr.io/drupal: ImagePolicy flux-system/app tracks another registry']]],
    ['image: ghcr.io/acme/web:1.0.0', 'ghcr.io/acme/api', '1.1.0', [['FIA334', 'Flux would rewrite the image name ghcr.io/acme/web to ghcr.io/acme/api: ImagePolicy flux-system/app tracks another repository']]],
    // Docker Hub short and long names are one image.
    ['image: nginx:1.25.0', 'docker.io/library/nginx', '1.25.1', []],
    ['image: ghcr.io/acme/web:1.4.0', 'ghcr.io/acme/web', '1.3.9', [['FIA335', 'a downgrade: 1.4.0 → 1.3.9']]],
    ['tag: v1.9.0', 'ghcr.io/acme/web', 'v2.0.0', [['FIA335', 'a major version jump: v1.9.0 → v2.0.0']]],
    ['tag: 1.9.0', 'ghcr.io/acme/web', '1.10.0', []],
    // Not versions: nothing to compare.
    ['tag: main-abc123', 'ghcr.io/acme/web', 'main-def456', []],
  ])('%s → %s:%s', async (field, name, tag, want) => {
    expect(await warnings(field, name, tag)).toEqual(want)
  })
})

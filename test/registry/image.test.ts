import { describe, expect, it } from 'vitest'
import { cloudOf, parseImage, schemesFor } from '../../src/core/registry/image.js'

describe('spec.image as Flux reads it', () => {
  it.each([
    ['nginx', 'index.docker.io/library/nginx'],
    ['stefanprodan/podinfo', 'index.docker.io/stefanprodan/podinfo'],
    ['docker.io/library/nginx', 'index.docker.io/library/nginx'],
    ['ghcr.io/org/app', 'ghcr.io/org/app'],
    ['localhost:5000/app', 'localhost:5000/app'],
    ['localhost/team/app', 'localhost/team/app'],
    ['index.docker.io/acme/app', 'index.docker.io/acme/app'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
  ])('%s → %s', (image, canonical) => {
    const p = parseImage(image)
    expect(p.ok && p.name.canonical).toBe(canonical)
  })

  it.each([
    ['ghcr.io/x/y:1.0', "image 'ghcr.io/x/y:1.0' should not include a tag; remove ':1.0'"],
    ['https://ghcr.io/x/y', "image 'https://ghcr.io/x/y' should not include URL scheme; remove 'https://'"],
    ['nginx:latest', "image 'nginx:latest' should not include a tag; remove ':latest'"],
  ])("rejects %s with Flux's message", (image, message) => {
    expect(parseImage(image)).toEqual({ ok: false, message })
  })

  it('tries http after https only where go-containerregistry would', () => {
    expect(schemesFor('ghcr.io', false)).toEqual(['https'])
    expect(schemesFor('ghcr.io', true)).toEqual(['https', 'http'])
    expect(schemesFor('127.0.0.1:5000', false)).toEqual(['https', 'http'])
    expect(schemesFor('192.168.1.10:5000', false)).toEqual(['https', 'http'])
    expect(schemesFor('172.32.0.1:5000', false)).toEqual(['https'])
  })

  it('knows the cloud registries by host', () => {
    expect(cloudOf('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('aws')
    expect(cloudOf('europe-docker.pkg.dev')).toBe('gcp')
    expect(cloudOf('gcr.io')).toBe('gcp')
    expect(cloudOf('myreg.azurecr.io')).toBe('azure')
    expect(cloudOf('ghcr.io')).toBeUndefined()
  })
})

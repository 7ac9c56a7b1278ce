import { describe, expect, it } from 'vitest'
import { fromDockerConfig } from '../../src/adapters/registry/credentials.js'
import { authKeyMatches, globMatch } from '../../src/core/registry/auth-key.js'
import { parseImage, type ImageName } from '../../src/core/registry/image.js'

function image(ref: string): ImageName {
  const p = parseImage(ref)
  if (!p.ok) throw new Error(p.message)
  return p.name
}

// Go's filepath.Match table (src/path/filepath/match_test.go), the cases without a "/":
// a host label never holds one. Malformed patterns (ErrBadPattern there) match nothing.
describe('a label glob matches as Go filepath.Match does', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*b*c*d*e*', 'axbxcxdxe', true],
    ['a*b*c*d*e*', 'axbxcxdxexxx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['[\\-x]', '-', true],
    ['[\\-x]', 'a', false],
    ['[]a]', ']', false],
    ['[-]', '-', false],
    ['[x-]', 'x', false],
    ['[x-]', '-', false],
    ['[-x]', 'x', false],
    ['\\', 'a', false],
    ['[a-b-c]', 'a', false],
    ['[', 'a', false],
    ['[^', 'a', false],
    ['[^bc', 'a', false],
    ['a[', 'a', false],
    ['a[', 'ab', false],
    ['*x', 'xxx', true],
    // Many stars, which a regular expression built from the glob backtracks over for minutes
    // (npm run bench times them).
    ['*a*a*a*a*a*a*a*a*a*a', 'a'.repeat(40) + 'b', false],
    ['*a*a*a*a*a*a*a*a*a*a', 'b'.repeat(40) + 'a'.repeat(10), true],
    ['**********x', 'a'.repeat(30), false],
  ] as [string, string, boolean][])('%s against %s: %s', (pattern, name, want) => {
    expect(globMatch(pattern, name)).toBe(want)
  })
})

// kubelet's keyring rules as go-containerregistry's authn/kubernetes keychain applies them
// to spec.secretRef (its keychain_test.go cases among them).
describe('a docker config key applies to an image as in the kubelet keyring', () => {
  it.each([
    ['ghcr.io', 'ghcr.io/org/app', true],
    ['https://ghcr.io', 'ghcr.io/org/app', true],
    ['https://fake.registry.io/v1/', 'fake.registry.io/repo', true],
    ['https://fake2.registry.io/v2/', 'fake2.registry.io/repo', true],
    ['http://ghcr.io/', 'ghcr.io/org/app', true],
    ['GHCR.IO', 'ghcr.io/org/app', true],
    // The path is a string prefix of the repository path.
    ['ghcr.io/org', 'ghcr.io/org/app', true],
    ['ghcr.io/org', 'ghcr.io/other/app', false],
    ['fake.registry.io/par', 'fake.registry.io/partial', true],
    ['ghcr.io/v2/org', 'ghcr.io/org/app', true],
    // A port must be the same on both sides.
    ['fake.registry.io:5000', 'fake.registry.io:5000/repo', true],
    ['fake.registry.io:5000', 'fake.registry.io:1000/repo', false],
    ['fake.registry.io', 'fake.registry.io:5000/repo', false],
    ['registry.io:8080/path', 'registry.io:8080/path/app', true],
    ['registry.io:8080/path', 'registry.io/path/app', false],
    ['[::1]:5000', '[::1]:5000/team/app', true],
    // One glob per label, never across a dot.
    ['*.registry.io', 'fake.registry.io/repo', true],
    ['*.registry.io', 'a.b.registry.io/repo', false],
    ['*.registry.io', 'registry.io/repo', false],
    ['*.io', 'ghcr.io/org/app', true],
    ['*.io', 'k8s.gcr.io/pause', false],
    ['k8s.*.io', 'k8s.gcr.io/pause', true],
    ['app*.k8s.io', 'app-eu.k8s.io/xy', true],
    ['app*.k8s.io', 'web.k8s.io/xy', false],
    ['*.*.registry.io', 'a.b.registry.io/xy', true],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', true],
    ['?hcr.io', 'ghcr.io/org/app', true],
    ['[f-h]hcr.io', 'ghcr.io/org/app', true],
    ['[^g]hcr.io', 'ghcr.io/org/app', false],
    ['[ghcr.io', 'ghcr.io/org/app', false],
    ['1.fake.registry.io', 'fake.registry.io/repo', false],
    ['fake.registry.io', '2.fake.registry.io/repo', false],
    // Docker Hub images are index.docker.io/… to the keychain; the docker CLI writes
    // https://index.docker.io/v1/. Flux finds no credentials under another name of the Hub.
    ['https://index.docker.io/v1/', 'ubuntu', true],
    ['index.docker.io', 'knative/serving', true],
    ['index.docker.io/library', 'docker.io/library/nginx', true],
    ['docker.io', 'nginx', false],
    ['registry-1.docker.io', 'nginx', false],
    ['*.*.*.*.*.*.*.*.*.*', 'a.b.c.d.e.f.g.h.i.j/xy', true],
    ['**********.example.com', 'a'.repeat(30) + '.example.org/xy', false],
  ] as [string, string, boolean][])('%s for %s: %s', (key, ref, want) => {
    const name = image(ref)
    expect(authKeyMatches(key, name.registry, name.repository)).toBe(want)
  })

  it('takes the longest matching key first, whatever the order in the file', () => {
    const auth = (user: string): { auth: string } => ({ auth: Buffer.from(`${user}:pw`).toString('base64') })
    const config = { auths: { 'fake.registry.io': auth('root'), 'fake.registry.io/nested': auth('nested'), 'fake.registry.io/nested/repo': auth('leaf'), 'fake.registry.io/par': auth('partial') } }
    const user = (ref: string): string | undefined => fromDockerConfig(config, image(ref), 'test').username
    expect(user('fake.registry.io/other')).toBe('root')
    expect(user('fake.registry.io/nested')).toBe('nested')
    expect(user('fake.registry.io/nested/repo')).toBe('leaf')
    expect(user('fake.registry.io/nested/repo/dirt')).toBe('leaf')
    expect(user('fake.registry.io/partial')).toBe('partial')
    expect(user('other.registry.io/nested')).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { realmRefusal, sameOrigin } from '../../src/core/registry/credential-scope.js'

describe('an origin is scheme, host and port', () => {
  it.each([
    ['http://127.0.0.1:5000/v2/a/tags/list', 'http://127.0.0.1:5000/v2/a/tags/list?last=x', true],
    ['https://ghcr.io/v2/a', 'https://GHCR.io:443/v2/a', true],
    ['http://ghcr.io/v2/a', 'http://ghcr.io:80/v2/b', true],
    ['https://ghcr.io/v2/a', 'http://ghcr.io/v2/a', false],
    ['http://127.0.0.1:5000/v2/a', 'http://127.0.0.1:5001/v2/a', false],
    ['http://127.0.0.1:5000/v2/a', 'http://localhost:5000/v2/a', false],
    ['https://ghcr.io/v2/a', 'https://ghcr.io.evil.example/v2/a', false],
  ])('%s and %s: %s', (a, b, want) => {
    expect(sameOrigin(a, b)).toBe(want)
  })
})

// go-containerregistry's validateRealmURL (bearer.go), plus the name localhost.
describe('a token realm is accepted as go-containerregistry accepts it', () => {
  it.each([
    // Docker Hub: the realm is another host, over https.
    ['https://auth.docker.io/token', 'https://index.docker.io/v2/library/nginx/tags/list', undefined],
    ['https://ghcr.io/token', 'https://ghcr.io/v2/a/tags/list', undefined],
    // The registry's own host:port is always allowed, even on loopback.
    ['http://127.0.0.1:5000/token', 'http://127.0.0.1:5000/v2/a/tags/list', undefined],
    ['https://10.0.0.5:5000/auth', 'https://10.0.0.5:5000/v2/a/tags/list', undefined],
    ['http://registry.internal/token', 'http://registry.internal/v2/a/tags/list', undefined],
    ['http://auth.example.com/token', 'http://registry.internal/v2/a/tags/list', undefined],
    // http only for a registry read over http.
    ['http://auth.example.com/token', 'https://registry.example.com/v2/a/tags/list', 'it is plain http while the registry is read over https'],
    ['http://registry.example.com/token', 'https://registry.example.com/v2/a/tags/list', 'it is plain http while the registry is read over https'],
    ['ftp://auth.example.com/token', 'https://registry.example.com/v2/a/tags/list', 'its scheme ftp is neither https nor http'],
    ['file:///etc/passwd', 'https://registry.example.com/v2/a/tags/list', 'its scheme file is neither https nor http'],
    ['not a url', 'https://registry.example.com/v2/a/tags/list', 'it is not a URL'],
    // Addresses that are not the registry's own: loopback, private, link-local, unspecified.
    ['http://127.0.0.1:5001/token', 'http://127.0.0.1:5000/v2/a/tags/list', 'its host 127.0.0.1 is a loopback address'],
    ['https://127.0.0.1/token', 'https://registry.example.com/v2/a/tags/list', 'its host 127.0.0.1 is a loopback address'],
    ['https://0x7f.1/token', 'https://registry.example.com/v2/a/tags/list', 'its host 127.0.0.1 is a loopback address'],
    ['https://[::1]:8443/token', 'https://registry.example.com/v2/a/tags/list', 'its host [::1] is a loopback address'],
    ['https://[::ffff:127.0.0.1]/token', 'https://registry.example.com/v2/a/tags/list', 'its host [::ffff:7f00:1] is a loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'https://registry.example.com/v2/a/tags/list', 'its host 169.254.169.254 is a link-local address'],
    ['https://[fd00:ec2::254]/', 'https://registry.example.com/v2/a/tags/list', 'its host [fd00:ec2::254] is a private address'],
    ['https://[fe80::1]/', 'https://registry.example.com/v2/a/tags/list', 'its host [fe80::1] is a link-local address'],
    ['https://[ff02::1]/', 'https://registry.example.com/v2/a/tags/list', 'its host [ff02::1] is a link-local multicast address'],
    ['https://224.0.0.251/', 'https://registry.example.com/v2/a/tags/list', 'its host 224.0.0.251 is a link-local multicast address'],
    ['https://10.1.2.3/token', 'https://registry.example.com/v2/a/tags/list', 'its host 10.1.2.3 is a private address'],
    ['https://172.16.0.1/token', 'https://registry.example.com/v2/a/tags/list', 'its host 172.16.0.1 is a private address'],
    ['https://172.32.0.1/token', 'https://registry.example.com/v2/a/tags/list', undefined],
    ['https://192.168.1.1/token', 'https://registry.example.com/v2/a/tags/list', 'its host 192.168.1.1 is a private address'],
    ['https://0.0.0.0/token', 'https://registry.example.com/v2/a/tags/list', 'its host 0.0.0.0 is an unspecified address'],
    ['https://[::]/token', 'https://registry.example.com/v2/a/tags/list', 'its host [::] is an unspecified address'],
    ['https://8.8.8.8/token', 'https://registry.example.com/v2/a/tags/list', undefined],
    // localhost is loopback without asking DNS.
    ['http://localhost:5001/token', 'http://127.0.0.1:5000/v2/a/tags/list', 'its host localhost is a loopback name'],
    ['https://auth.localhost./token', 'https://registry.example.com/v2/a/tags/list', 'its host auth.localhost is a loopback name'],
  ])('%s for %s', (realm, registryUrl, want) => {
    expect(realmRefusal(realm, registryUrl)).toBe(want)
  })
})

import { describe, expect, it } from 'vitest'
import { Redactor } from '../../src/core/registry/redactor.js'

describe('a Redactor', () => {
  const password = 'pa55/wo+rd"é'
  const redactor = new Redactor()
  redactor.add(password)
  redactor.add(`ci:${password}`)
  redactor.add('issued-token')
  const b64 = (s: string): string => Buffer.from(s).toString('base64')

  it.each([
    ['the secret as it is', `password=${password}`],
    ['JSON-escaped', JSON.stringify({ password })],
    ['URL-encoded', `?password=${encodeURIComponent(password)}`],
    ['base64 of user:password', `got ${b64(`ci:${password}`)} from you`],
    ['base64 without padding', `got ${b64(`ci:${password}`).replace(/=+$/, '')}.`],
    ['URL-safe base64', `got ${b64(`ci:${password}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`],
    ['an issued token', 'Bearer issued-token was rejected'],
    ['a token in base64', `jwt ${b64('issued-token')}`],
  ])('removes %s', (_what, text) => {
    const out = redactor.redact(text)
    expect(out).toContain('[REDACTED]')
    for (const secret of [password, 'issued-token', b64(`ci:${password}`).replace(/=+$/, ''), encodeURIComponent(password)]) expect(out).not.toContain(secret)
  })

  it.each([
    ['Authorization: Basic dXNlcjpzZWNyZXQ=', 'Authorization: Basic [REDACTED]'],
    ['map[Authorization:[Bearer eyJhbGciOi.x.y] Accept:[*/*]]', 'map[Authorization:[Bearer [REDACTED]] Accept:[*/*]]'],
    ['{"authorization": "Bearer someone-elses"}', '{"authorization": "Bearer [REDACTED]"}'],
    ['proxy-authorization=Basic Zm9vOmJhcg==, next', 'proxy-authorization=Basic [REDACTED], next'],
    // Redacting twice changes nothing.
    ['Authorization: Basic [REDACTED]', 'Authorization: Basic [REDACTED]'],
    // Not a header: left alone.
    ['authorization required', 'authorization required'],
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io"', 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"'],
  ])('removes the value of an echoed Authorization header: %s', (text, want) => {
    expect(new Redactor().redact(text)).toBe(want)
  })
})

// What a registry sends back is printed (error bodies, challenges, URLs), and a registry or
// a proxy may echo the request's Authorization header in it. Everything the registry client
// reports passes through a Redactor that knows each secret the client holds or was given
// (passwords, user:password, static and issued tokens) and removes them in the forms an echo
// takes: as is, JSON-escaped, URL-encoded and base64 (standard, unpadded, URL-safe). Any
// `Authorization: <credentials>` left in the text loses its value too, whoever it belongs to.

const MARK = '[REDACTED]'

// The header name, then ": ", "=", "\":[\"" and the like, an optional scheme, the credential
// (unless it is redacted already: redacting twice changes nothing).
const AUTHORIZATION = /\b((?:proxy-)?authorization)(["']?\s*[:=]\s*(?:\[\s*)?["']?)((?:basic|bearer|token|digest|negotiate)\s+)?(?!\[REDACTED\]|(?:basic|bearer|token|digest|negotiate)\s)[^\s"',;\]}]+/gi

export class Redactor {
  private forms: string[] = []

  /** Remember a secret, so that it never appears in what redact() returns. */
  add(secret: string): void {
    if (secret === '') return
    const base64 = Buffer.from(secret, 'utf8').toString('base64')
    const found = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), base64, base64.replace(/=+$/, ''), base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')]
    // Longest first, so that no shorter form cuts a longer one and leaves part of it.
    this.forms = [...new Set([...this.forms, ...found])].sort((a, b) => b.length - a.length)
  }

  redact(text: string): string {
    let out = text.replace(AUTHORIZATION, (_all, name: string, separator: string, scheme: string | undefined) => `${name}${separator}${scheme ?? ''}${MARK}`)
    for (const form of this.forms) out = out.split(form).join(MARK)
    return out
  }
}

// Seeded malformed input for every command family (test/fuzz/generator.ts). Each case must
// end within its bound with an exit code from the README's table (never 4), every error line
// coded (`error CODE: message`, no stack trace, never ERR_INTERNAL), JSON on stdout when JSON
// was asked for (the envelope, with its errors when the exit code says there were some), and
// the input files as they were.
//
// npm test runs FIA_FUZZ_COUNT (default 126) cases in-process plus a sample as children;
// `npm run fuzz -- --seed S --count N` runs more (scripts/fuzz.js).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, type RunResult } from '../support/cli.js'
import { runInProcess } from '../support/in-process.js'
import { tempDir } from '../support/tree.js'
import { FAMILIES, type FuzzCase, generate } from './generator.js'

const SEED = Number(process.env.FIA_FUZZ_SEED ?? 17)
const COUNT = Number(process.env.FIA_FUZZ_COUNT ?? 126)
const SPAWNED = Number(process.env.FIA_FUZZ_SPAWNED ?? 14)
// A hang guard, not a measure: a case that takes this long has lost its bound.
const BOUND_MS = 20000

// The README's exit codes for a run that did not fail inside: 0 and 1 (findings), 2 (usage or
// input), 3 (a source could not be read).
const EXIT_CODES = [0, 1, 2, 3]

function prepare(c: FuzzCase): { dir: string; args: string[] } {
  const dir = tempDir('fia-fuzz-')
  for (const [rel, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return { dir, args: c.args.map((a) => a.replaceAll('{dir}', dir)) }
}

function check(c: FuzzCase, dir: string, args: string[], r: RunResult): void {
  const where = `${c.family}: flux-imgauto ${JSON.stringify(args)} → exit ${r.code}\nstdout: ${r.stdout.slice(0, 600)}\nstderr: ${r.stderr.slice(0, 600)}`
  const internal = r.code === 4 || /ERR_INTERNAL/.test(r.stdout + r.stderr)
  expect(EXIT_CODES, where).toContain(r.code)
  expect(internal, where).toBe(false)
  // No stack trace, no uncoded error line.
  expect(r.stderr, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$|^(Type|Range|Reference|Syntax)?Error:|^uncaught:/m)
  for (const line of r.stderr.split('\n').filter((l) => /^error\b/i.test(l))) expect(line, where).toMatch(/^error (ERR_[A-Z_]+|FIA\d{3}): \S/)
  const json = args.some((a, i) => a === '--json' || a === '-ojson' || a === '--output=json' || (a === '-o' && args[i + 1] === 'json'))
  if (json) {
    const env = JSON.parse(r.stdout) as { apiVersion?: string; errors?: { code: string }[] }
    expect(env.apiVersion, where).toBe('flux-imgauto/v1')
    if (r.code >= 2) expect(env.errors?.length, where).toBeGreaterThan(0)
  } else if (r.code >= 2) {
    expect(r.stderr, where).toMatch(/^error (ERR_[A-Z_]+|FIA\d{3}): /m)
  }
  // Read-only: the files the case handed over are as they were.
  // (As bytes: a damaged text may hold half a surrogate pair, written as U+FFFD.)
  for (const [rel, text] of Object.entries(c.files)) expect(readFileSync(join(dir, rel)).equals(Buffer.from(text)), `${where}\n${rel} changed`).toBe(true)
}

describe(`fuzz (seed ${SEED}, ${COUNT} cases)`, () => {
  const cases = generate(SEED, COUNT)

  it('a seed gives the same cases, every family among them', () => {
    expect(generate(SEED, 21)).toEqual(generate(SEED, 21))
    expect(new Set(generate(SEED, 21).map((c) => c.family))).toEqual(new Set(FAMILIES))
  })

  it.each(cases.map((c, i) => [i, c.family, c] as const))('case %i (%s), in-process', { timeout: BOUND_MS }, async (_i, _family, c) => {
    const { dir, args } = prepare(c)
    // "-" reads standard input: a child's, which is empty, not the test runner's.
    check(c, dir, args, args.includes('-') ? await runCli(args, { cwd: dir, timeout: BOUND_MS }) : await runInProcess(args, { cwd: dir }))
  })

  // A sample through bin/run.js as a user runs it, killed at the bound (code -1 fails).
  const sample = cases.filter((_, i) => i % Math.max(1, Math.floor(COUNT / SPAWNED)) === 0).slice(0, SPAWNED)
  it.each(sample.map((c, i) => [i, c.family, c] as const))('sample %i (%s), as a child', { timeout: BOUND_MS + 5000 }, async (_i, _family, c) => {
    const { dir, args } = prepare(c)
    check(c, dir, args, await runCli(args, { cwd: dir, timeout: BOUND_MS }))
  })
})

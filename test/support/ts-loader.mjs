// Node module hooks that let a plain `node` run the test helpers written in TypeScript
// (test/support/*.ts), without a build: each .ts file is transpiled on load with the
// project's own TypeScript, and an import of ./x.js finds ./x.ts as tsc's NodeNext does.
// Registered by the launchers in test/support (module.register), never by the CLI.

import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier, context.parentURL)
    const asTs = new URL(url.href.replace(/\.js$/, '.ts'))
    if (url.protocol === 'file:' && !existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(asTs))) return { url: asTs.href, shortCircuit: true }
  }
  return next(specifier, context)
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts') || !url.startsWith('file:')) return next(url, context)
  const source = readFileSync(fileURLToPath(url), 'utf8')
  const out = ts.transpileModule(source, { fileName: fileURLToPath(url), compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } })
  return { format: 'module', source: out.outputText, shortCircuit: true }
}

#!/usr/bin/env node
// Starts the tests' fake Kubernetes API server on a scenario, by hand:
//
//   node test/support/fake-apiserver-cli.mjs fixtures/cluster/automation.yaml [more.yaml …]
//        [--port 8001] [--context fake]
//
// It prints the path of a kubeconfig that points at it (first line of stdout), logs each
// request to stderr, and serves until Ctrl-C. Then, for instance:
//
//   export KUBECONFIG=$(…the printed path…)
//   kubectl get imagepolicies -A
//   flux-imgauto doctor -A
//
// The scenario files are plain multi-document YAML of Kubernetes objects (fixtures/cluster).
// Later files override earlier ones object by object, and a `$delete: [{kind, name}]`
// document removes objects, so a doctor scenario is layered on the healthy cluster as the
// tests do: fixtures/doctor/healthy.yaml fixtures/doctor/b1-ecr-401.yaml. Without any
// CustomResourceDefinition among the objects, Flux's CRDs are served.

import { register } from 'node:module'
import { parseArgs } from 'node:util'

register('./ts-loader.mjs', import.meta.url)
const { FakeApiServer } = await import('./fake-apiserver.ts')
const { parseAllDocuments } = await import('yaml')
const { readFileSync } = await import('node:fs')

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '0' }, context: { type: 'string', default: 'fake' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help || positionals.length === 0) {
  process.stderr.write('usage: node test/support/fake-apiserver-cli.mjs SCENARIO.yaml [MORE.yaml …] [--port N] [--context NAME]\n')
  process.exit(values.help ? 0 : 2)
}
let objects = []
const key = (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`
for (const file of positionals) {
  let docs
  try {
    docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean)
  } catch (e) {
    process.stderr.write(`error: ${file}: ${e.message.split('\n')[0]}\n`)
    process.exit(2)
  }
  for (const doc of docs) {
    if (Array.isArray(doc.$delete)) {
      const gone = new Set(doc.$delete.map((d) => `${d.kind}/${d.name}`))
      objects = objects.filter((o) => !gone.has(`${o.kind}/${o.metadata?.name}`))
    } else if (doc.apiVersion && doc.kind && doc.metadata?.name) {
      objects = [...objects.filter((o) => key(o) !== key(doc)), doc]
    } else {
      process.stderr.write(`error: ${file}: a document without apiVersion, kind and metadata.name\n`)
      process.exit(2)
    }
  }
}
const server = new FakeApiServer(objects)
const url = await server.start(Number(values.port))
process.stdout.write(server.kubeconfig(url, values.context) + '\n')
process.stderr.write(`fake API server on ${url} (${objects.length} objects); Ctrl-C stops it\n`)
let logged = 0
const timer = setInterval(() => {
  for (const e of server.log.slice(logged)) process.stderr.write(`${e.method} ${e.path}${e.query ? '?' + e.query : ''}\n`)
  logged = server.log.length
}, 200)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    clearInterval(timer)
    void server.stop().then(() => process.exit(0))
  })
}

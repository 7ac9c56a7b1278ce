// npm run sea: builds out/flux-imgauto, one executable with Node and the CLI inside (Node's
// single executable applications). Node 20 runs a CommonJS main script only, so the CLI is
// bundled again, as CommonJS, from its own entry (src/sea.ts); postject then injects the
// prepared blob into a copy of this node binary. Run after npm run build (tsc).

import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

const out = 'out'
rmSync(out, { recursive: true, force: true })
mkdirSync(out)

await build({
  entryPoints: ['dist/sea.js'],
  outfile: `${out}/flux-imgauto.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  keepNames: true,
  // The executable's require() loads built-in modules only, and warns on stderr the first time
  // it is asked for anything else. Dependencies probe for optional modules in try/catch (fdir's
  // require.resolve("picomatch") on load, ws's bufferutil and utf-8-validate, node-fetch's
  // encoding) and oclif for typescript in development: in here they are absent, as the probes
  // allow, without asking require(). oclif checks on load that Node satisfies its engines by
  // requiring its own package.json; the Node inside was checked when it was built.
  // ES module dependencies read import.meta.url; a CommonJS script has __filename instead.
  define: { 'import.meta.url': '__fiaImportMetaUrl', 'require.resolve': '__fiaAbsent' },
  banner: {
    js: [
      "process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';",
      "const __fiaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      "function __fiaAbsent(id) { throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' }) }",
    ].join('\n'),
  },
  plugins: [{
    name: 'absent-optional-modules',
    setup(b) {
      b.onResolve({ filter: /^(bufferutil|utf-8-validate|encoding|typescript)$/ }, (a) => ({ path: a.path, namespace: 'absent' }))
      b.onLoad({ filter: /.*/, namespace: 'absent' }, (a) => ({ contents: `__fiaAbsent(${JSON.stringify(a.path)})`, loader: 'js' }))
    },
  }],
  logLevel: 'warning',
})

writeFileSync(`${out}/sea-config.json`, JSON.stringify({
  main: `${out}/flux-imgauto.cjs`,
  output: `${out}/sea-prep.blob`,
  disableExperimentalSEAWarning: true,
  useCodeCache: true,
  assets: { 'package.json': 'package.json' },
}))
execFileSync(process.execPath, ['--experimental-sea-config', `${out}/sea-config.json`], { stdio: 'inherit' })

const exe = `${out}/flux-imgauto`
copyFileSync(process.execPath, exe)
// The fuse is the string Node looks for to know a blob was injected (node/src/node_sea.cc).
execFileSync(process.execPath, ['node_modules/postject/dist/cli.js', exe, 'NODE_SEA_BLOB', `${out}/sea-prep.blob`, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'inherit' })

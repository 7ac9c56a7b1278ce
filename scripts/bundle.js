// npm run build, after tsc: bundles the CLI (dist/main.js) into one ESM file, dist/bundle/flux-imgauto.js.
// Start-up is dominated by resolving and compiling hundreds of small modules (oclif's alone);
// one file removes that. The parts a command needs only when it talks to a cluster, draws
// progress or runs a helper (@kubernetes/client-node, listr2, execa) are imported dynamically
// in the source, so `splitting` leaves them in chunks that are loaded only then.

import { rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

// Chunk names carry a content hash: clear the old ones out.
rmSync('dist/bundle', { recursive: true, force: true })

const { metafile } = await build({
  entryPoints: { 'flux-imgauto': 'dist/main.js' },
  outdir: 'dist/bundle',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // oclif and some dependencies are CommonJS and call require() (of built-ins, and oclif's
  // module loader of the files package.json names); an ES module has no require of its own.
  banner: { js: "import { createRequire as __fiaCreateRequire } from 'node:module'; const require = __fiaCreateRequire(import.meta.url);" },
  // oclif requires typescript only to map compiled paths back to sources when NODE_ENV is
  // development or test (@oclif/core src/config/ts-path.ts); a user's run never loads it.
  external: ['typescript'],
  logLevel: 'warning',
  // V8 parses every byte of a module it loads: without whitespace and with simpler syntax the
  // bundle and the cluster client's chunk are a third smaller. Names are kept, for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
})
// Which output holds which package: test/bundle/lazy-chunks.test.ts checks what each command loads.
writeFileSync('dist/bundle/meta.json', JSON.stringify(metafile))

// npm run fuzz [-- --seed N] [-- --count N] [-- --spawned N]: the fuzz suite
// (test/fuzz/fuzz.test.ts) over more cases than npm test runs. Also from the environment:
// FIA_FUZZ_SEED, FIA_FUZZ_COUNT, FIA_FUZZ_SPAWNED. A failing case names its arguments; rerun
// it with the same seed and count.

import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { seed: { type: 'string' }, count: { type: 'string' }, spawned: { type: 'string' } } })
const env = {
  ...process.env,
  FIA_FUZZ_SEED: values.seed ?? process.env.FIA_FUZZ_SEED ?? String(Date.now() % 100000),
  FIA_FUZZ_COUNT: values.count ?? process.env.FIA_FUZZ_COUNT ?? '2100',
  FIA_FUZZ_SPAWNED: values.spawned ?? process.env.FIA_FUZZ_SPAWNED ?? '50',
}
process.stdout.write(`fuzz: seed ${env.FIA_FUZZ_SEED}, ${env.FIA_FUZZ_COUNT} cases, ${env.FIA_FUZZ_SPAWNED} as children\n`)
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz/fuzz.test.ts'], { stdio: 'inherit', env })
process.exitCode = r.status ?? 1

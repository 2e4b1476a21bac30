// Writes schema/desk.schema.json from the desk.json sections' own schemas (src/domain/config/desk-schema.ts):
// `npm run schema` after changing a section. With --check it writes nothing and exits 1 when the
// committed file differs from what the sections generate (test/domain/desk-schema.test.ts checks
// the same). The sources are TypeScript: esbuild bundles them into a temporary CommonJS file first.
import {build} from 'esbuild'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = join(root, 'schema', 'desk.schema.json')
const dir = mkdtempSync(join(tmpdir(), 'tix-schema-'))
let text
try {
  const outfile = join(dir, 'desk-schema.cjs')
  await build({entryPoints: [join(root, 'src/domain/config/desk-schema.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning', external: ['re2js']})
  text = createRequire(import.meta.url)(outfile).deskSchemaText()
} finally {
  rmSync(dir, {recursive: true, force: true})
}
const current = (() => {
  try {
    return readFileSync(target, 'utf8')
  } catch {
    return null
  }
})()
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write('schema/desk.schema.json is not what the desk.json sections generate: run `npm run schema` (never edit the file by hand).\n')
    process.exit(1)
  }
  process.stdout.write('schema/desk.schema.json is up to date.\n')
} else if (current === text) process.stdout.write('schema/desk.schema.json is up to date.\n')
else {
  writeFileSync(target, text)
  process.stdout.write('Wrote schema/desk.schema.json.\n')
}

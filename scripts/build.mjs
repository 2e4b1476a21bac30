// Bundles the CLI into dist/cli.cjs (every command, oclif included: one file to compile at start)
// and the TUI into dist/tui.js (ink + react, loaded only when the TUI starts). See docs/architecture.md.
// The CLI is CommonJS so that bin/run.js can compile it through vm.Script with V8's code cache
// (Node 20 has no module.enableCompileCache); the TUI stays ESM because ink's layout engine uses
// top-level await.
import {build} from 'esbuild'
import {rmSync} from 'node:fs'
import {writeStemmers} from './stemmers.mjs'

export const LAZY = [
  'mailparser', 'imapflow', 'nodemailer', 'html-to-text', 'email-reply-parser',
  'hono', '@hono/node-server', 'zod', 'minisearch', 'gray-matter', 'snowball-stemmers',
  'csv-parse', 'csv-stringify', 're2js',
]
rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true})
const noDevtools = {
  name: 'no-react-devtools',
  setup(b) {
    b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}))
    b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {initialize() {}, connectToDevTools() {}}', loader: 'js'}))
  },
}
// Ink's layout engine (yoga-layout) embeds its WebAssembly as a data: URL and, wherever a global
// fetch exists (Node 18+), fetches it: that loads Node's whole HTTP client (undici) to decode a
// string, about 60 ms of every TUI start. Told there is no fetch, it decodes the bytes directly.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/}, async (args) => {
      const {readFile} = await import('node:fs/promises')
      const text = await readFile(args.path, 'utf8')
      const patched = text.replaceAll('"function"!=typeof fetch', 'true')
      if (patched === text) throw new Error(`yoga-without-fetch: the fetch test was not found in ${args.path} (yoga-layout changed: check the TUI start)`)
      return {contents: patched, loader: 'js'}
    })
  },
}
// node:crypto costs every command about 10 ms to load, and the bundle imports it from a dozen
// modules (serve, mail, import, reports, the knowledge base) that every command initialises. This
// stands in for it in the CLI bundle: every export is a getter that loads node:crypto on first use.
const lazyCrypto = {
  name: 'lazy-node-crypto',
  setup(b) {
    b.onResolve({filter: /^(node:)?crypto$/}, (args) => (args.namespace === 'lazy-crypto' ? {path: 'node:crypto', external: true} : {path: 'node:crypto', namespace: 'lazy-crypto'}))
    b.onLoad({filter: /.*/, namespace: 'lazy-crypto'}, async () => {
      const names = Object.keys(await import('node:crypto')).filter((k) => k !== 'default')
      const getters = names.map((k) => `Object.defineProperty(exports, ${JSON.stringify(k)}, {enumerable: true, get: () => load()[${JSON.stringify(k)}]})`)
      return {contents: `let c\nconst load = () => (c ??= require('node:crypto'))\n${getters.join('\n')}\n`, loader: 'js'}
    })
  },
}
const common = {bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', minify: true}
await build({
  ...common,
  format: 'cjs',
  entryPoints: {cli: 'commands/index.ts'},
  outExtension: {'.js': '.cjs'},
  outdir: 'dist',
  // oclif can load TypeScript sources in development; a bundled CLI never does.
  // Heavy libraries of one door each (mail, HTTP, import, knowledge base) stay outside the bundle and
  // are loaded with importModule() (src/runtime.ts) by the commands that use them, so `tix list` never
  // parses them.
  external: ['typescript', 'ts-node', 'tsx', 'inquirer', ...LAZY],
  alias: {debug: './scripts/debug-shim.cjs'},
  plugins: [lazyCrypto],
})
// The fold worker of a large index build (src/store/fold-worker.ts): the fold and the report facts
// only, so each worker thread starts in a few ms instead of loading every command.
await build({...common, format: 'cjs', entryPoints: {'fold-worker': 'src/store/fold-worker.ts'}, outExtension: {'.js': '.cjs'}, outdir: 'dist', plugins: [lazyCrypto]})
// The English and Russian snowball stemmers, each in a small file of its own (scripts/stemmers.mjs).
writeStemmers(new URL('../dist/', import.meta.url))
// The desk generator (fixtures/) for `npm start` (scripts/demo.mjs) and `npm run bench`: never loaded by tix itself.
await build({...common, minify: false, format: 'cjs', entryPoints: {fixtures: 'fixtures/generate.ts'}, outExtension: {'.js': '.cjs'}, outdir: 'dist'})
await build({
  ...common,
  format: 'esm',
  entryPoints: {tui: 'tui/main.tsx'},
  outdir: 'dist',
  jsx: 'automatic',
  // React's production build (the development one is larger and several times slower), and
  // ink's optional devtools bridge (used only with DEV=true) replaced by an empty stand-in.
  define: {'process.env.NODE_ENV': '"production"'},
  plugins: [noDevtools, yogaWithoutFetch],
  banner: {js: "import {createRequire as __tixRequire} from 'node:module';const require=__tixRequire(import.meta.url);"},
})

// oclif.manifest.json: the commands' flags and help, so oclif does not rebuild that from every
// command class on each run (it reads this file instead). Written from the bundle just built.
{
  const {Config} = await import('@oclif/core')
  const {writeFileSync, rmSync: rm} = await import('node:fs')
  const manifestPath = new URL('../oclif.manifest.json', import.meta.url)
  rm(manifestPath, {force: true})
  const config = await Config.load({root: new URL('..', import.meta.url).pathname})
  const plugin = config.getPluginsList().find((p) => p.isRoot)
  writeFileSync(manifestPath, JSON.stringify(plugin.manifest) + '\n')
}

// Bundles tix into dist/cli.cjs: every command, oclif included, and the TUI (Ink and React), one
// file to compile at start and one copy of src/. See docs/architecture.md. It is CommonJS so that
// bin/run.js can compile it through vm.Script with V8's code cache (Node 20 has no
// module.enableCompileCache). The TUI is reached only through an import() in commands/tui.ts: esbuild
// keeps everything behind it (Ink, React, the layout engine) in functions that run when the TUI
// starts, so no other command pays more than reading those bytes.
import {build} from 'esbuild'
import {rmSync} from 'node:fs'
import {writeStemmers} from './stemmers.mjs'

export const LAZY = [
  'mailparser', 'imapflow', 'nodemailer', 'html-to-text', 'email-reply-parser',
  'hono', '@hono/node-server', 'zod', 'minisearch', 'gray-matter', 'snowball-stemmers',
  'csv-parse', 'csv-stringify', 're2js',
]
rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true})
// A CommonJS bundle cannot hold a top-level await, and the TUI's modules have two:
// - Ink's layout engine (yoga-layout) awaits its WebAssembly. Emscripten lets the caller instantiate
//   it (instantiateWasm): compiled synchronously here, from the bytes the module decodes from its
//   own data: URL (its function that does it is handed to the callback), the engine is ready when
//   the module has run. It never fetches (no HTTP client loaded to decode a string) either.
// - Ink's reconciler awaits its devtools bridge and its package.json, only when DEV=true.
// Each replacement fails the build when the text it replaces is gone (a new version: check the TUI).
const replaced = (text, from, to, where) => {
  const out = text.replace(from, to)
  if (out === text) throw new Error(`build: ${where} changed (${from} not found): check the TUI's start`)
  return out
}
const tuiWithoutTopLevelAwait = {
  name: 'tui-without-top-level-await',
  setup(b) {
    const read = async (path) => (await import('node:fs/promises')).readFile(path, 'utf8')
    b.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/}, async (args) => {
      const text = await read(args.path)
      // wa() is the module's own synchronous reader of its embedded bytes
      if (!text.includes('function wa(){var a=H;')) throw new Error(`build: ${args.path} changed (no wa()): check the TUI's start`)
      return {contents: replaced(text, /h\.instantiateWasm\(d,\s*a\)/, 'h.instantiateWasm(d,a,wa)', args.path), loader: 'js'}
    })
    b.onLoad({filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, async (args) => {
      const sync = [
        'const lib = {instantiateWasm(imports, done, bytes) { done(new WebAssembly.Instance(new WebAssembly.Module(bytes()), imports)); return {} }};',
        'loadYoga(lib).catch(() => {});',
        "if (!lib.Node) throw new Error('yoga-layout did not start');",
        'const Yoga = wrapAssembly(lib);',
      ].join('\n')
      return {contents: replaced(await read(args.path), 'const Yoga = wrapAssembly(await loadYoga());', sync, args.path), loader: 'js'}
    })
    b.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, async (args) => {
      let text = replaced(await read(args.path), "await import('./devtools.js');", 'void 0; // (React devtools are not in this build)', args.path)
      text = replaced(text, /isDev\(\)\s*\?\s*await loadPackageJson\(\)\s*:/, 'false ? undefined :', args.path)
      return {contents: text, loader: 'js'}
    })
  },
}
// React's production build (the development one is larger and several times slower). Only in React's
// own packages: oclif and lowdb read NODE_ENV at run time, and keep doing so.
const reactProduction = {
  name: 'react-production',
  setup(b) {
    b.onLoad({filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/][^\\/]*\.js$/}, async (args) => {
      const text = (await import('node:fs')).readFileSync(args.path, 'utf8')
      return {contents: text.replaceAll('process.env.NODE_ENV', '"production"'), loader: 'js'}
    })
  },
}
// Node's own modules cost a command their load even when it never calls them: node:crypto about
// 10 ms, and child_process, worker_threads, readline and perf_hooks together about 5 ms more (a
// `tix list` on a warm cache spawns no git, starts no worker and asks nothing). The bundle imports
// them from modules every command initialises, so in the CLI bundle each stands in for itself:
// every export is a getter that loads the module on first use.
const LAZY_BUILTINS = ['crypto', 'fs/promises', 'stream/promises', 'child_process', 'worker_threads', 'readline', 'readline/promises', 'perf_hooks', 'timers/promises']
const lazyBuiltins = {
  name: 'lazy-node-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.map((m) => m.replace('/', '\\/')).join('|')})$`)
    b.onResolve({filter}, (args) => {
      const path = `node:${args.path.replace(/^node:/, '')}`
      return args.namespace === 'lazy-builtin' ? {path, external: true} : {path, namespace: 'lazy-builtin'}
    })
    b.onLoad({filter: /.*/, namespace: 'lazy-builtin'}, async (args) => {
      const names = Object.keys(await import(args.path)).filter((k) => k !== 'default')
      const getters = names.map((k) => `Object.defineProperty(exports, ${JSON.stringify(k)}, {enumerable: true, get: () => load()[${JSON.stringify(k)}]})`)
      return {contents: `let m\nconst load = () => (m ??= require(${JSON.stringify(args.path)}))\n${getters.join('\n')}\n`, loader: 'js'}
    })
  },
}
// TIX_MINIFY=0 npm run build: readable names in --cpu-prof profiles (docs/scale.md)
const common = {bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', minify: process.env.TIX_MINIFY !== '0'}
await build({
  ...common,
  format: 'cjs',
  entryPoints: {cli: 'commands/index.ts'},
  outExtension: {'.js': '.cjs'},
  outdir: 'dist',
  jsx: 'automatic',
  // oclif can load TypeScript sources in development; a bundled CLI never does.
  // Heavy libraries of one door each (mail, HTTP, import, knowledge base) stay outside the bundle and
  // are loaded with importModule() (src/runtime.ts) by the commands that use them, so `tix list` never
  // parses them.
  external: ['typescript', 'ts-node', 'tsx', 'inquirer', ...LAZY],
  alias: {debug: './scripts/debug-shim.cjs'},
  plugins: [lazyBuiltins, tuiWithoutTopLevelAwait, reactProduction],
})
// The CLI bundle in ASCII. esbuild escapes other characters in strings but leaves them in regular
// expressions and template literals (the mail parser's Russian and Arabic reply headers, the
// portal's "·"); one such character makes the whole 1.4 MB source a two-byte string, which
// bin/run.js then decodes from UTF-8 for about 5 ms on every command, and V8 keeps at twice the
// size. Each is written as its \uXXXX escape, which means the same in all those places, except in
// String.raw (checked: the build stops). Source maps point a few columns off on those lines.
{
  const {readFileSync, writeFileSync} = await import('node:fs')
  const file = new URL('../dist/cli.cjs', import.meta.url)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(/String\.raw`[^`]*`/g)) if (/[^\t-~]/.test(m[0])) throw new Error(`build: a String.raw template has a character outside ASCII (${m[0].slice(0, 60)}): escape it in the source`)
  writeFileSync(file, text.replace(/[^\t-~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}
// The fold worker of a large index build (src/store/fold-worker.ts): the fold and the report facts
// only, so each worker thread starts in a few ms instead of loading every command.
await build({...common, format: 'cjs', entryPoints: {'fold-worker': 'src/store/fold-worker.ts'}, outExtension: {'.js': '.cjs'}, outdir: 'dist', plugins: [lazyBuiltins]})
// The English and Russian snowball stemmers, each in a small file of its own (scripts/stemmers.mjs).
writeStemmers(new URL('../dist/', import.meta.url))
// The desk generator (fixtures/) for `npm start` (scripts/demo.mjs) and `npm run bench`: never loaded by tix itself.
await build({...common, minify: false, format: 'cjs', entryPoints: {fixtures: 'fixtures/generate.ts'}, outExtension: {'.js': '.cjs'}, outdir: 'dist'})
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

#!/usr/bin/env node
// The launcher. Kept tiny on purpose: every millisecond here is paid by every command (docs/architecture.md).
// It is CommonJS (bin/package.json) because Node starts a CommonJS entry several ms sooner than an
// ES module. It answers --version without loading anything, and loads the bundled CLI through V8's
// code cache (dist/cli.cache, written on first run and rewritten when Node changes); the CLI loads
// the other CommonJS files of dist/ it needs (the snowball stemmers) the same way (loadDist). The
// TUI, in the same bundle, runs other functions than a command: it keeps a cache of its own
// (dist/cli-tui.cache), written once its first frame is drawn (saveCodeCache).
'use strict'
const {mkdirSync, readFileSync, renameSync, writeFileSync} = require('node:fs')
const Module = require('node:module')
const {isAscii} = require('node:buffer')
const {dirname, join} = require('node:path')
const {homedir} = require('node:os')
const {pathToFileURL} = require('node:url')
const vm = require('node:vm')

const argv = process.argv.slice(2)
const root = join(__dirname, '..')

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  process.stdout.write(`tix/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // npm enforces "engines" at install; oclif's own check would load semver on every run.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  // (plain `tix` on a terminal opens the TUI too, when in a desk)
  const tui = argv[0] === 'tui' || (argv.length === 0 && Boolean(process.stdin.isTTY && process.stdout.isTTY))
  const cli = loadCached('cli', tui ? 'cli-tui' : 'cli', !tui)
  cli.exports.main(argv, {
    // oclif finds package.json upwards from here (bin/ has its own, for the module type only)
    dir: pathToFileURL(join(root, 'dist', 'cli.cjs')).href,
    importModule: (s) => import(s),
    loadDist: (name) => loadCached(name, name, true).exports,
    saveCodeCache: cli.save,
  })
}

/**
 * dist/<name>.cjs through the code cache dist/<cacheName>.cache (or the user's cache folder). When
 * there is none yet (or V8 refused it), `save` writes it: at exit when `atExit`, else when called.
 */
function loadCached(name, cacheName, atExit) {
  const file = join(root, 'dist', `${name}.cjs`)
  const cacheFiles = [join(root, 'dist', `${cacheName}.cache`), userCacheFile(cacheName)]
  let source
  try {
    // The bundle is ASCII (scripts/build.mjs): read as bytes and taken as Latin-1, it is the same
    // string without a UTF-8 decode (readFileSync(file, 'utf8') took 4 to 5 ms of every command).
    const bytes = readFileSync(file)
    source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  } catch {
    process.stderr.write('tix is not built yet: run `npm run build` (or `npm ci && npm start`).\n')
    process.exit(1)
  }
  let cachedData
  for (const f of cacheFiles) {
    try {
      cachedData = readFileSync(f)
      break
    } catch {}
  }
  const script = new vm.Script(Module.wrap(source), {filename: file, cachedData})
  const mod = new Module(file)
  mod.filename = file
  mod.paths = Module._nodeModulePaths(dirname(file))
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file))
  mod.loaded = true
  Module._cache[file] = mod // oclif require()s the same file for its command list: reuse this copy
  let save = () => {}
  if (cachedData === undefined || script.cachedDataRejected) {
    // after the run (or its start): the functions it compiled are in the cache too
    save = () => {
      save = () => {}
      const data = script.createCachedData()
      // Beside the bundle; in a read-only install (a global one owned by root), the user's cache folder.
      for (const f of cacheFiles) {
        try {
          mkdirSync(dirname(f), {recursive: true})
          const tmp = `${f}.${process.pid}.tmp`
          writeFileSync(tmp, data)
          renameSync(tmp, f)
          return
        } catch {}
      }
    }
    if (atExit) process.once('exit', () => save())
  }
  return {exports: mod.exports, save: () => save()}
}

/** Per user and per install (V8 rejects data made from another source or Node, and it is rewritten then). */
function userCacheFile(name) {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
  const key = root.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-120)
  return join(base, 'tix', `${name}-${key}.cache`)
}

#!/usr/bin/env node
// The launcher. Kept tiny on purpose: every millisecond here is paid by every command (docs/architecture.md).
// It is CommonJS (bin/package.json) because Node starts a CommonJS entry several ms sooner than an
// ES module. It answers --version without loading anything, and loads the bundled CLI through V8's
// code cache (dist/cli.cache, written on first run and rewritten when Node changes); the CLI loads
// the other CommonJS files of dist/ it needs (the snowball stemmers) the same way (loadDist).
'use strict'
const {mkdirSync, readFileSync, renameSync, writeFileSync} = require('node:fs')
const Module = require('node:module')
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
  const cli = loadCached('cli')
  cli.main(argv, {
    // oclif finds package.json upwards from here (bin/ has its own, for the module type only)
    dir: pathToFileURL(join(root, 'dist', 'cli.cjs')).href,
    importTui: () => import(pathToFileURL(join(root, 'dist', 'tui.js')).href),
    importModule: (s) => import(s),
    loadDist: loadCached,
  })
}

/** dist/<name>.cjs through the code cache dist/<name>.cache (or the user's cache folder). */
function loadCached(name) {
  const file = join(root, 'dist', `${name}.cjs`)
  const cacheFiles = [join(root, 'dist', `${name}.cache`), userCacheFile(name)]
  let source
  try {
    source = readFileSync(file, 'utf8')
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
  if (cachedData === undefined || script.cachedDataRejected) {
    // at exit: the functions this run compiled are in the cache too
    process.once('exit', () => {
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
    })
  }
  return mod.exports
}

/** Per user and per install (V8 rejects data made from another source or Node, and it is rewritten then). */
function userCacheFile(name) {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
  const key = root.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-120)
  return join(base, 'tix', `${name}-${key}.cache`)
}

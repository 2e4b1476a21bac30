// `npm pack` from a clean checkout ships a package that works: the tarball is built by `prepack`,
// never carries a V8 code cache (dist/cli.cache is per machine and per Node), installs into a
// global prefix from the local npm cache alone, and runs from an install its user cannot write to.
// Slow (a build and an install): one test, run once per suite.
import {spawnSync, type SpawnSyncOptions} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ROOT, tempDir} from '../helpers.js'

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, {encoding: 'utf8', ...opts})
  return {code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), error: r.error}
}

/** The real npm cache (test/setup.ts points HOME at a temp folder, which has none). */
function npmCache(): string {
  if (process.env.npm_config_cache) return process.env.npm_config_cache
  const r = run('npm', ['config', 'get', 'cache'], {env: {...process.env, HOME: userInfo().homedir}})
  return r.stdout.trim() || join(userInfo().homedir, '.npm')
}

/** Every file of the working tree that git would commit (tracked or new, not ignored). */
function copyCheckout(to: string): void {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: ROOT}).stdout.split('\0').filter(Boolean)
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue // deleted in the working tree
    mkdirSync(dirname(join(to, f)), {recursive: true})
    copyFileSync(join(ROOT, f), join(to, f))
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir')
}

const isRoot = process.getuid?.() === 0
const writable: string[] = []
afterAll(() => {
  for (const d of writable) run('chmod', ['-R', 'u+w', d])
})

describe('the npm package', () => {
  it('packs with prepack, installs offline into a global prefix, and runs read-only', () => {
    const tmp = tempDir('tix-pack-')
    chmodSync(tmp, 0o755)
    const src = join(tmp, 'src')
    const out = join(tmp, 'out')
    mkdirSync(out)
    copyCheckout(src)
    const npmEnv: NodeJS.ProcessEnv = {...process.env, npm_config_cache: npmCache(), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'}
    delete npmEnv.NODE_ENV

    // 1. prepack builds dist/ and the manifest in the fresh copy (which has neither).
    expect(existsSync(join(src, 'dist'))).toBe(false)
    const pack = run('npm', ['pack', '--pack-destination', out, '--json'], {cwd: src, env: npmEnv})
    expect(pack.code, pack.stderr).toBe(0)
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{filename: string; files: Array<{path: string}>}>
    const shipped = info!.files.map((f) => f.path)
    expect(shipped).toEqual(expect.arrayContaining(['bin/run.js', 'dist/cli.cjs', 'oclif.manifest.json', 'schema/desk.schema.json', 'docs/storage.md', 'dist/stemmer-english.cjs', 'dist/stemmer-russian.cjs']))
    expect(shipped.filter((p) => p.startsWith('dist/') && !/\.(cjs|cjs\.map)$/.test(p))).toEqual([]) // the TUI is in cli.cjs: no second bundle
    expect(shipped.filter((p) => p.endsWith('.cache'))).toEqual([])

    // 2. A code cache written locally never ships.
    writeFileSync(join(src, 'dist', 'cli.cache'), 'local V8 data')
    writeFileSync(join(src, 'dist', 'cli-tui.cache'), 'local V8 data')
    writeFileSync(join(src, 'dist', 'cli.cache.77.tmp'), 'half written')
    writeFileSync(join(src, 'dist', 'stemmer-english.cache'), 'local V8 data')
    const dry = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: src, env: npmEnv})
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('dist/cli.cjs')
    expect(dry.stdout).not.toContain('cli.cache')
    expect(dry.stdout).not.toContain('cli-tui.cache')
    expect(dry.stdout).not.toContain('stemmer-english.cache')

    // 3. Install the tarball globally from the npm cache only (no registry), then make it read-only.
    const prefix = join(tmp, 'global')
    const installArgs = ['install', '-g', '--prefix', prefix, join(out, info!.filename)]
    let install = run('npm', [...installArgs, '--offline'], {cwd: tmp, env: npmEnv})
    if (install.code !== 0 && install.stderr.includes('ENOTCACHED')) {
      // `npm ci` caches the tarballs but not the registry's metadata a global install resolves
      // versions with: fetch only that (tarballs still come from the cache).
      console.log('pack test: the npm cache lacks registry metadata; installing with --prefer-offline')
      install = run('npm', [...installArgs, '--prefer-offline'], {cwd: tmp, env: npmEnv})
    }
    expect(install.code, install.stderr).toBe(0)
    run('chmod', ['-R', 'a-w', prefix])
    writable.push(prefix)

    // 4. Run it as a user who cannot write to the install (root writes anywhere: run as nobody then).
    const work = join(tmp, 'work')
    mkdirSync(join(work, 'home'), {recursive: true})
    run('chmod', ['-R', '0777', work])
    const bin = join(prefix, 'bin', 'tix')
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(work, 'home'),
      TIX_ACTOR: 'Pack Test <pack@example.com>',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      NO_COLOR: '1',
    }
    const tix = (args: string[], cwd: string) =>
      isRoot ? run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', bin, ...args], {cwd, env}) : run(bin, args, {cwd, env})
    const probe = isRoot ? run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', 'sh', '-c', `touch "${join(prefix, 'probe')}"`], {env}) : run('touch', [join(prefix, 'probe')])
    expect(probe.code, 'the install must be read-only for the user running tix').not.toBe(0)

    const version = tix(['--version'], work)
    expect(version.code, version.stderr).toBe(0)
    expect(version.stdout).toMatch(/^tix\/0\.1\.0 /)

    const desk = join(work, 'desk')
    mkdirSync(desk)
    chmodSync(desk, 0o777)
    const init = tix(['init', '--json'], desk)
    expect(init.code, init.stderr).toBe(0)
    expect(JSON.parse(init.stdout)).toMatchObject({kind: 'init', createdRepo: true, createdDesk: true})
    const created = tix(['new', 'Printer jams', '--json'], desk)
    expect(created.code, created.stderr).toBe(0)
    for (let i = 0; i < 2; i++) {
      const list = tix(['list'], desk)
      expect(list.code, list.stderr).toBe(0)
      expect(list.stdout).toContain('Printer jams')
    }
    // The code cache went to the user's cache folder, not into the install.
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'tix', 'dist')).filter((f) => f.includes('cache'))).toEqual([])
    expect(readdirSync(join(work, 'home', '.cache', 'tix')).some((f) => f.endsWith('.cache'))).toBe(true)
  }, 300_000)
})

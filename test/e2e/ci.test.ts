// `tix ci` end to end with the built CLI: each provider's environment, the command lines of
// examples/*.yml run as the providers would run them (a fresh shallow single-branch checkout that
// files and publishes in one step), and two pipelines racing on one job.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {git, makeDesk, ROOT, tempDir, testIO, tix, tixAsync} from '../helpers.js'
import {EXPECTED_RUNS, PROVIDER_ENVS} from '../domain/ci-envs.js'
import {runCi} from '../../src/services/ci.js'

/** Variables of the test runner that would make tix detect the wrong provider. */
const CLEAN: NodeJS.ProcessEnv = Object.fromEntries(
  ['GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'TF_BUILD', 'BITBUCKET_BUILD_NUMBER', 'JENKINS_URL', 'JENKINS_HOME', 'CI_JOB_NAME', 'GITHUB_JOB', 'GITHUB_WORKFLOW', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID']
    .map((k) => [k, undefined]),
)
const envFor = (vars: Record<string, string>): NodeJS.ProcessEnv => ({...process.env, ...CLEAN, ...vars})

/** The `tix ...` command lines of an example file, split into words (the examples quote nothing). */
function tixLines(file: string): string[][] {
  return readFileSync(join(ROOT, 'examples', file), 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/^- /, ''))
    .filter((l) => /^tix ci\b/.test(l))
    .map((l) => l.split(/\s+/).slice(1))
}

/** A bare remote with code on main and a published desk, like a real project's origin. */
function project() {
  const root = tempDir('tix-ci-')
  const remote = join(root, 'remote.git')
  const dev = join(root, 'dev')
  git(root, 'init', '--quiet', '--bare', '-b', 'main', remote)
  git(root, 'init', '--quiet', '-b', 'main', dev)
  writeFileSync(join(dev, 'README.md'), '# app\n')
  git(dev, 'add', 'README.md')
  git(dev, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'code')
  git(dev, 'remote', 'add', 'origin', remote)
  git(dev, 'push', '--quiet', 'origin', 'main')
  expect(tix(dev, ['init', '--remote', 'origin']).code).toBe(0)
  let n = 0
  /** What actions/checkout and GitLab's GIT_DEPTH make: a shallow, single-branch clone of main. */
  const checkout = () => {
    const dir = join(root, `runner-${++n}`)
    git(root, 'clone', '--quiet', '--depth', '1', '--single-branch', '--branch', 'main', `file://${remote}`, dir)
    return dir
  }
  const remoteTickets = () => git(remote, 'ls-tree', '-r', '--name-only', 'tix', 'tickets').trim().split('\n').filter(Boolean)
  const remoteTicket = (path: string) => git(remote, 'show', `tix:${path}`).trim().split('\n').map((l) => JSON.parse(l))
  return {root, remote, dev, checkout, remoteTickets, remoteTicket}
}

const LOG = '\u001b[32m✓\u001b[0m 41 passed\n\u001b[31m✗ 1 failed\u001b[0m: expected 2 to be 3\nnpm publish with NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789\n'

describe('tix ci under each provider (dry run)', () => {
  it('detects every provider and says what it would do, writing nothing', async () => {
    const {dir} = await makeDesk()
    const tip = git(dir, 'rev-parse', 'tix').trim()
    for (const [provider, vars] of Object.entries(PROVIDER_ENVS)) {
      const res = await runCi(testIO(dir, {...CLEAN, ...vars}), {dryRun: true})
      const expected = EXPECTED_RUNS[provider] as {repository: string; workflow: string | null; job: string | null}
      expect(res, provider).toMatchObject({action: 'created', deduped: false, dryRun: true, ticket: null, commit: null})
      expect(res.run).toEqual({provider, ...expected})
      expect(res.key).toBe(['ci', provider, expected.repository, expected.workflow ?? '-', expected.job ?? '-'].join(':'))
      expect(res.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
    }
    // and once through the CLI: the JSON document
    const r = tix(dir, ['ci', '--dry-run', '--json'], {env: envFor(PROVIDER_ENVS.circleci!)})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({schemaVersion: 1, kind: 'ci', provider: 'circleci', action: 'created', dryRun: true, key: 'ci:circleci:acme/app:-:test', ticket: null, commit: null, sync: null})
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)
  })
})

describe('examples/*.yml, run the way the providers run them', () => {
  it('GitHub Actions: a fresh shallow checkout files, publishes, counts repeats and resolves on green', {timeout: 300_000}, () => {
    const p = project()
    const lines = tixLines('github-actions.yml')
    expect(lines).toEqual([['ci', '--log', 'build.log', '--tail', '200', '--sync'], ['ci', '--passed', '--sync']])
    const [failed, passed] = lines as [string[], string[]]
    const gh = (runId: string) => envFor({...PROVIDER_ENVS.github!, GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '1', TIX_ACTOR: 'ci@example.com', NPM_TOKEN: 'npm_abcdefghijklmnopqrstuvwxyz0123456789'})

    const run1 = p.checkout()
    writeFileSync(join(run1, 'build.log'), LOG)
    const r1 = tix(run1, failed, {env: gh('1')})
    expect(r1.code, r1.stderr).toBe(0)
    expect(r1.stdout).toContain('Created')
    const [path] = p.remoteTickets()
    expect(p.remoteTickets()).toHaveLength(1)
    const create = p.remoteTicket(path!)[0]
    expect(create).toMatchObject({type: 'create', channel: 'ci', dedupeKey: 'ci:github:acme/app:nightly:test', fields: {provider: 'github', runUrl: 'https://github.com/acme/app/actions/runs/1', branch: 'main'}})
    expect(create.body).toContain('✗ 1 failed: expected 2 to be 3')
    expect(create.body).not.toContain('\u001b')
    expect(create.body).not.toContain('npm_abcdefghij')
    const attached = p.remoteTicket(path!).find((e: {type: string}) => e.type === 'attach')
    expect(attached).toMatchObject({name: 'build.log', mediaType: 'text/plain'})
    const logBlob = git(p.remote, 'show', `tix:attachments/${attached.blob.slice(0, 2)}/${attached.blob}`)
    expect(logBlob).toContain('NPM_TOKEN=***')
    expect(logBlob).not.toContain('\u001b[')

    // the same job fails again on another runner: one ticket, two occurrences
    const run2 = p.checkout()
    writeFileSync(join(run2, 'build.log'), LOG.replace('expected 2', 'expected 4'))
    const r2 = tix(run2, [...failed, '--json'], {env: gh('2')})
    expect(r2.code, r2.stderr).toBe(0)
    expect(r2.json()).toMatchObject({action: 'noted', deduped: true, occurrences: 2, sync: {out: {pushed: 1}}})
    expect(p.remoteTickets()).toHaveLength(1)

    // green: resolved, with a note linking the run
    const run3 = p.checkout()
    const r3 = tix(run3, [...passed, '--json'], {env: gh('3')})
    expect(r3.code, r3.stderr).toBe(0)
    expect(r3.json()).toMatchObject({action: 'resolved', ticket: {status: 'resolved', resolution: 'The job passed again (https://github.com/acme/app/actions/runs/3).'}})
    expect(tix(p.dev, ['sync']).code).toBe(0)
    const t = tix(p.dev, ['list', '--dedupe-key', 'ci:github:acme/app:nightly:test', '--json']).json().tickets
    expect(t).toHaveLength(1)
    expect(t[0]).toMatchObject({status: 'resolved', occurrences: {count: 2, lastRun: 'https://github.com/acme/app/actions/runs/2'}, attachments: [{name: 'build.log'}, {name: 'build (2).log'}]})

    // red again: a regression reopens it
    const run4 = p.checkout()
    writeFileSync(join(run4, 'build.log'), LOG)
    expect(tix(run4, [...failed, '--json'], {env: gh('4')}).json()).toMatchObject({action: 'reopened', ticket: {status: 'open', reopenCount: 1}})
    // a green run with nothing open: nothing to do
    expect(tix(p.checkout(), [...passed, '--json'], {env: {...gh('5'), GITHUB_JOB: 'lint'}}).json()).toMatchObject({action: 'none', ticket: null})
  })

  it('GitLab CI: the after_script lines, for a failed and a passed job', {timeout: 180_000}, () => {
    const p = project()
    const lines = tixLines('gitlab-ci.yml')
    expect(lines).toEqual([['ci', '--passed', '--sync'], ['ci', '--log', 'build.log', '--tail', '200', '--sync']])
    const [passed, failed] = lines as [string[], string[]]
    const gl = (job: string, status: string) => envFor({...PROVIDER_ENVS.gitlab!, CI_JOB_URL: `https://gitlab.com/acme/app/-/jobs/${job}`, CI_JOB_STATUS: status, TIX_ACTOR: 'ci@example.com'})
    const run1 = p.checkout()
    writeFileSync(join(run1, 'build.log'), LOG)
    const r1 = tix(run1, [...failed, '--json'], {env: gl('77', 'failed')})
    expect(r1.code, r1.stderr).toBe(0)
    expect(r1.json()).toMatchObject({provider: 'gitlab', action: 'created', key: 'ci:gitlab:acme/app:nightly:test', ticket: {channel: 'ci', fields: {runUrl: 'https://gitlab.com/acme/app/-/jobs/77'}}})
    const r2 = tix(p.checkout(), [...passed, '--json'], {env: gl('78', 'success')})
    expect(r2.code, r2.stderr).toBe(0)
    expect(r2.json()).toMatchObject({action: 'resolved', id: r1.json().id})
    expect(p.remoteTickets()).toHaveLength(1)
  })

  it('two pipelines racing on one job end with one ticket holding both occurrences', {timeout: 180_000}, async () => {
    const p = project()
    const [failed] = tixLines('github-actions.yml') as [string[]]
    const runners = [p.checkout(), p.checkout()]
    for (const dir of runners) writeFileSync(join(dir, 'build.log'), LOG)
    const env = (id: string) => envFor({...PROVIDER_ENVS.github!, GITHUB_JOB: 'race', GITHUB_RUN_ID: id, TIX_ACTOR: 'ci@example.com'})
    const results = await Promise.all(runners.map((dir, i) => tixAsync(dir, [...failed, '--json'], {env: env(String(100 + i))})))
    for (const r of results) expect(r.code, r.stderr).toBe(0)
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1)
    expect(p.remoteTickets()).toHaveLength(1)
    expect(tix(p.dev, ['sync']).code).toBe(0)
    const t = tix(p.dev, ['list', '--dedupe-key', 'ci:github:acme/app:nightly:race', '--json']).json().tickets
    expect(t).toHaveLength(1)
    expect(t[0].occurrences.count).toBe(2)
    expect(t[0].notices).toEqual([])
  })
})

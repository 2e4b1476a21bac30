// `tix ci` without git: provider detection from each provider's environment, keys and titles, and
// logs made fit for a ticket (colours removed, secrets masked, the tail).
import {describe, expect, it} from 'vitest'
import {EXPECTED_RUNS, PROVIDER_ENVS} from './ci-envs.js'
import {defaultKey, defaultTitle, detectProvider, detectRun, failureBody, maskSecrets, runFields, stripAnsi, tailLines} from '../../src/domain/ci/ci.js'

describe('provider detection', () => {
  for (const [provider, env] of Object.entries(PROVIDER_ENVS)) {
    it(`${provider}: detected, with repository, workflow, job, run URL, commit, branch and actor`, () => {
      expect(detectProvider(env)).toBe(provider)
      expect(detectRun(env)).toEqual({provider, ...EXPECTED_RUNS[provider]})
    })
  }

  it('nothing set: generic with nothing known; GITHUB_ACTIONS must be exactly "true"', () => {
    expect(detectRun({})).toEqual({provider: 'generic', repository: null, workflow: null, job: null, runUrl: null, commit: null, branch: null, actor: null})
    expect(detectProvider({GITHUB_ACTIONS: 'false'})).toBe('generic')
  })

  it('the key is provider + repository + workflow + job (not the branch); the title says what failed', () => {
    const run = detectRun(PROVIDER_ENVS.github!)
    expect(defaultKey(run)).toBe('ci:github:acme/app:nightly:test')
    expect(defaultKey({...run, branch: 'feature'})).toBe(defaultKey(run))
    expect(defaultTitle(run)).toBe('GitHub Actions failed: nightly / test on main (acme/app)')
    expect(defaultTitle(detectRun(PROVIDER_ENVS.jenkins!))).toBe('Jenkins failed: app-nightly / test on main (acme/app)')
    expect(defaultTitle(detectRun({}))).toBe('CI failed: the pipeline')
    expect(runFields(run)).toEqual({provider: 'github', ...EXPECTED_RUNS.github})
  })
})

describe('logs', () => {
  it('removes colours and progress-bar rewrites', () => {
    expect(stripAnsi('\u001b[1;31mFAIL\u001b[0m src/a.test.ts\n\u001b]0;title\u0007ok')).toBe('FAIL src/a.test.ts\nok')
    expect(stripAnsi('10%\r50%\r100%\ndone\r\n')).toBe('100%\ndone\n')
  })

  it('masks tokens, assignments, bearer headers, URL credentials and secret environment values', () => {
    const log = [
      'push with ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
      'GITLAB_TOKEN is glpat-xxxxxxxxxxxxxxxxxxxx1234',
      'slack xoxb-1234567890-abcdefghij ready',
      'aws AKIAIOSFODNN7EXAMPLE key',
      'curl -H "Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"',
      'db password=hunter2 user=ana',
      '{"api_key": "s3cr3t-value", "name": "ok"}',
      'clone https://bot:p4ss@git.acme.test/app.git',
      'deploy with SUPER_SEEKRIT_VALUE_123 now',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----',
      'nothing secret on this line: 1234567890',
    ].join('\n')
    const {text, masked} = maskSecrets(log, {DEPLOY_TOKEN: 'SUPER_SEEKRIT_VALUE_123', HOME: '/home/ana', CI: 'true'})
    for (const secret of ['ghp_0123', 'glpat-', 'xoxb-', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOi', 'hunter2', 's3cr3t-value', 'p4ss', 'SUPER_SEEKRIT', 'MIIEow']) {
      expect(text, secret).not.toContain(secret)
    }
    expect(text).toContain('user=ana')
    expect(text).toContain('"name": "ok"')
    expect(text).toContain('https://bot:***@git.acme.test/app.git')
    expect(text).toContain('Authorization: Bearer ***')
    expect(text).toContain('nothing secret on this line: 1234567890')
    expect(masked).toBeGreaterThanOrEqual(10)
    expect(maskSecrets('all clear').masked).toBe(0)
  })

  it('takes the tail and writes a body that links the run', () => {
    expect(tailLines('a\nb\nc\n', 2)).toEqual({text: 'b\nc', total: 3})
    expect(tailLines('a\nb', 10)).toEqual({text: 'a\nb', total: 2})
    const body = failureBody(detectRun(PROVIDER_ENVS.gitlab!), {name: 'build.log', tail: 'b\nc', lines: 2, total: 3, masked: 1})
    expect(body).toContain('- Run: https://gitlab.com/acme/app/-/jobs/77')
    expect(body).toContain('Last 2 of 3 lines of build.log (colours removed, 1 secret masked; the whole log is attached):\n```\nb\nc\n```')
  })
})

// `tix ci` without git: provider detection from each provider's environment, keys and titles, and
// logs made fit for a ticket (colours removed, secrets masked, the tail).
import {describe, expect, it} from 'vitest'
import {defaultKey, defaultTitle, detectProvider, detectRun, failureBody, maskSecrets, runFields, stripAnsi, tailLines} from '../../src/domain/ci.js'

/** What each provider sets (names and shapes from their documentation), for a failing "test" job. */
export const PROVIDER_ENVS: Record<string, Record<string, string>> = {
  github: {
    GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app', GITHUB_WORKFLOW: 'nightly',
    GITHUB_JOB: 'test', GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '2', GITHUB_SHA: 'a1b2c3d4', GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'ana',
  },
  gitlab: {
    GITLAB_CI: 'true', CI: 'true', CI_PROJECT_PATH: 'acme/app', CI_PIPELINE_NAME: 'nightly', CI_JOB_NAME: 'test',
    CI_JOB_URL: 'https://gitlab.com/acme/app/-/jobs/77', CI_PIPELINE_URL: 'https://gitlab.com/acme/app/-/pipelines/5', CI_COMMIT_SHA: 'a1b2c3d4',
    CI_COMMIT_REF_NAME: 'main', GITLAB_USER_LOGIN: 'ana',
  },
  jenkins: {
    JENKINS_URL: 'https://jenkins.acme.test/', BUILD_URL: 'https://jenkins.acme.test/job/app-nightly/12/', JOB_NAME: 'app-nightly',
    STAGE_NAME: 'test', GIT_URL: 'https://git.acme.test/acme/app.git', GIT_COMMIT: 'a1b2c3d4', BRANCH_NAME: 'main', BUILD_USER_ID: 'ana',
  },
  buildkite: {
    BUILDKITE: 'true', CI: 'true', BUILDKITE_REPO: 'git@github.com:acme/app.git', BUILDKITE_PIPELINE_SLUG: 'nightly', BUILDKITE_STEP_KEY: 'test',
    BUILDKITE_LABEL: ':jest: Test', BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/nightly/builds/31', BUILDKITE_JOB_ID: 'j-1',
    BUILDKITE_COMMIT: 'a1b2c3d4', BUILDKITE_BRANCH: 'main', BUILDKITE_BUILD_CREATOR: 'Ana',
  },
  circleci: {
    CIRCLECI: 'true', CI: 'true', CIRCLE_PROJECT_USERNAME: 'acme', CIRCLE_PROJECT_REPONAME: 'app', CIRCLE_JOB: 'test',
    CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/app/123', CIRCLE_SHA1: 'a1b2c3d4', CIRCLE_BRANCH: 'main', CIRCLE_USERNAME: 'ana',
  },
  azure: {
    TF_BUILD: 'True', BUILD_REPOSITORY_NAME: 'acme/app', BUILD_DEFINITIONNAME: 'nightly', SYSTEM_JOBDISPLAYNAME: 'test',
    SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/', SYSTEM_TEAMPROJECT: 'App', BUILD_BUILDID: '456', BUILD_SOURCEVERSION: 'a1b2c3d4',
    BUILD_SOURCEBRANCHNAME: 'main', BUILD_REQUESTEDFOR: 'Ana Diaz',
  },
  bitbucket: {
    CI: 'true', BITBUCKET_BUILD_NUMBER: '88', BITBUCKET_REPO_FULL_NAME: 'acme/app', BITBUCKET_COMMIT: 'a1b2c3d4', BITBUCKET_BRANCH: 'main',
    BITBUCKET_STEP_UUID: '{0d5f}', BITBUCKET_STEP_TRIGGERER_UUID: '{ana}',
  },
  generic: {CI: 'true', CI_REPOSITORY: 'acme/app', CI_PIPELINE: 'nightly', CI_JOB: 'test', CI_RUN_URL: 'https://ci.acme.test/runs/1', CI_COMMIT: 'a1b2c3d4', CI_BRANCH: 'main'},
}

export const EXPECTED_RUNS: Record<string, object> = {
  github: {repository: 'acme/app', workflow: 'nightly', job: 'test', runUrl: 'https://github.com/acme/app/actions/runs/9001/attempts/2', commit: 'a1b2c3d4', branch: 'main', actor: 'ana'},
  gitlab: {repository: 'acme/app', workflow: 'nightly', job: 'test', runUrl: 'https://gitlab.com/acme/app/-/jobs/77', commit: 'a1b2c3d4', branch: 'main', actor: 'ana'},
  jenkins: {repository: 'https://git.acme.test/acme/app.git', workflow: 'app-nightly', job: 'test', runUrl: 'https://jenkins.acme.test/job/app-nightly/12/', commit: 'a1b2c3d4', branch: 'main', actor: 'ana'},
  buildkite: {repository: 'git@github.com:acme/app.git', workflow: 'nightly', job: 'test', runUrl: 'https://buildkite.com/acme/nightly/builds/31#j-1', commit: 'a1b2c3d4', branch: 'main', actor: 'Ana'},
  circleci: {repository: 'acme/app', workflow: null, job: 'test', runUrl: 'https://circleci.com/gh/acme/app/123', commit: 'a1b2c3d4', branch: 'main', actor: 'ana'},
  azure: {repository: 'acme/app', workflow: 'nightly', job: 'test', runUrl: 'https://dev.azure.com/acme/App/_build/results?buildId=456', commit: 'a1b2c3d4', branch: 'main', actor: 'Ana Diaz'},
  bitbucket: {repository: 'acme/app', workflow: 'branches', job: null, runUrl: 'https://bitbucket.org/acme/app/pipelines/results/88/steps/%7B0d5f%7D', commit: 'a1b2c3d4', branch: 'main', actor: '{ana}'},
  generic: {repository: 'acme/app', workflow: 'nightly', job: 'test', runUrl: 'https://ci.acme.test/runs/1', commit: 'a1b2c3d4', branch: 'main', actor: null},
}

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

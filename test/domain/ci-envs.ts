// What each CI provider sets for a failing "test" job (names and shapes from their documentation),
// and what `tix ci` should read from it. Shared by the domain and end-to-end tests.
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


// `tix ci` (pure): which CI provider runs us and what it says about the run, the default key and
// title, and a log made fit for a ticket (colours removed, secrets masked, the last N lines).

export const PROVIDERS = ['github', 'gitlab', 'jenkins', 'buildkite', 'circleci', 'azure', 'bitbucket', 'generic'] as const
export type Provider = (typeof PROVIDERS)[number]

export const PROVIDER_NAMES: Record<Provider, string> = {
  github: 'GitHub Actions',
  gitlab: 'GitLab CI',
  jenkins: 'Jenkins',
  buildkite: 'Buildkite',
  circleci: 'CircleCI',
  azure: 'Azure Pipelines',
  bitbucket: 'Bitbucket Pipelines',
  generic: 'CI',
}

/** What tix records about a run (as the ticket's custom fields). */
export interface CiRun {
  provider: Provider
  repository: string | null
  /** The workflow or pipeline (GitHub workflow, Jenkins job, Buildkite pipeline, Azure definition...). */
  workflow: string | null
  job: string | null
  runUrl: string | null
  commit: string | null
  branch: string | null
  actor: string | null
}

type Env = Readonly<Record<string, string | undefined>>

const v = (env: Env, ...names: string[]): string | null => {
  for (const n of names) {
    const x = env[n]?.trim()
    if (x) return x
  }
  return null
}
const truthy = (x: string | undefined) => x !== undefined && x !== '' && x.toLowerCase() !== 'false' && x !== '0'
const trimSlash = (s: string) => s.replace(/\/+$/, '')

/** The provider from its marker variable; `generic` for any other CI (or none). */
export function detectProvider(env: Env): Provider {
  if (env.GITHUB_ACTIONS === 'true') return 'github'
  if (truthy(env.GITLAB_CI)) return 'gitlab'
  if (truthy(env.BUILDKITE)) return 'buildkite'
  if (truthy(env.CIRCLECI)) return 'circleci'
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') return 'azure'
  if (env.BITBUCKET_BUILD_NUMBER) return 'bitbucket'
  if (env.JENKINS_URL || env.JENKINS_HOME) return 'jenkins'
  return 'generic'
}

/** Everything the provider's environment says about the run (missing values are null). */
export function detectRun(env: Env, provider = detectProvider(env)): CiRun {
  switch (provider) {
    case 'github': {
      const server = trimSlash(v(env, 'GITHUB_SERVER_URL') ?? 'https://github.com')
      const repo = v(env, 'GITHUB_REPOSITORY')
      const runId = v(env, 'GITHUB_RUN_ID')
      const attempt = v(env, 'GITHUB_RUN_ATTEMPT')
      return {
        provider,
        repository: repo,
        workflow: v(env, 'GITHUB_WORKFLOW'),
        job: v(env, 'GITHUB_JOB'),
        runUrl: repo && runId ? `${server}/${repo}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}` : null,
        commit: v(env, 'GITHUB_SHA'),
        branch: v(env, 'GITHUB_HEAD_REF', 'GITHUB_REF_NAME'),
        actor: v(env, 'GITHUB_TRIGGERING_ACTOR', 'GITHUB_ACTOR'),
      }
    }
    case 'gitlab':
      return {
        provider,
        repository: v(env, 'CI_PROJECT_PATH'),
        workflow: v(env, 'CI_PIPELINE_NAME', 'CI_CONFIG_PATH'),
        job: v(env, 'CI_JOB_NAME'),
        runUrl: v(env, 'CI_JOB_URL', 'CI_PIPELINE_URL'),
        commit: v(env, 'CI_COMMIT_SHA'),
        branch: v(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_COMMIT_REF_NAME', 'CI_COMMIT_BRANCH'),
        actor: v(env, 'GITLAB_USER_LOGIN', 'GITLAB_USER_EMAIL'),
      }
    case 'jenkins':
      return {
        provider,
        repository: v(env, 'GIT_URL'),
        workflow: v(env, 'JOB_NAME'),
        job: v(env, 'STAGE_NAME'),
        runUrl: v(env, 'BUILD_URL'),
        commit: v(env, 'GIT_COMMIT'),
        branch: v(env, 'CHANGE_BRANCH', 'BRANCH_NAME', 'GIT_BRANCH'),
        actor: v(env, 'BUILD_USER_ID', 'CHANGE_AUTHOR'),
      }
    case 'buildkite': {
      const build = v(env, 'BUILDKITE_BUILD_URL')
      const jobId = v(env, 'BUILDKITE_JOB_ID')
      return {
        provider,
        repository: v(env, 'BUILDKITE_REPO'),
        workflow: v(env, 'BUILDKITE_PIPELINE_SLUG'),
        job: v(env, 'BUILDKITE_STEP_KEY', 'BUILDKITE_LABEL'),
        runUrl: build ? `${build}${jobId ? `#${jobId}` : ''}` : null,
        commit: v(env, 'BUILDKITE_COMMIT'),
        branch: v(env, 'BUILDKITE_BRANCH'),
        actor: v(env, 'BUILDKITE_BUILD_CREATOR_EMAIL', 'BUILDKITE_BUILD_CREATOR', 'BUILDKITE_BUILD_AUTHOR'),
      }
    }
    case 'circleci': {
      const user = v(env, 'CIRCLE_PROJECT_USERNAME')
      const name = v(env, 'CIRCLE_PROJECT_REPONAME')
      return {
        provider,
        repository: user && name ? `${user}/${name}` : v(env, 'CIRCLE_REPOSITORY_URL'),
        workflow: v(env, 'CIRCLE_WORKFLOW_NAME'),
        job: v(env, 'CIRCLE_JOB'),
        runUrl: v(env, 'CIRCLE_BUILD_URL'),
        commit: v(env, 'CIRCLE_SHA1'),
        branch: v(env, 'CIRCLE_BRANCH'),
        actor: v(env, 'CIRCLE_USERNAME'),
      }
    }
    case 'azure': {
      const collection = v(env, 'SYSTEM_COLLECTIONURI')
      const project = v(env, 'SYSTEM_TEAMPROJECT')
      const buildId = v(env, 'BUILD_BUILDID')
      return {
        provider,
        repository: v(env, 'BUILD_REPOSITORY_NAME'),
        workflow: v(env, 'BUILD_DEFINITIONNAME'),
        job: v(env, 'SYSTEM_JOBDISPLAYNAME', 'AGENT_JOBNAME', 'SYSTEM_JOBNAME'),
        runUrl: collection && project && buildId ? `${trimSlash(collection)}/${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}` : null,
        commit: v(env, 'BUILD_SOURCEVERSION'),
        branch: v(env, 'SYSTEM_PULLREQUEST_SOURCEBRANCH', 'BUILD_SOURCEBRANCHNAME'),
        actor: v(env, 'BUILD_REQUESTEDFOREMAIL', 'BUILD_REQUESTEDFOR'),
      }
    }
    case 'bitbucket': {
      const repo = v(env, 'BITBUCKET_REPO_FULL_NAME')
      const build = v(env, 'BITBUCKET_BUILD_NUMBER')
      const step = v(env, 'BITBUCKET_STEP_UUID')
      return {
        provider,
        repository: repo,
        workflow: v(env, 'BITBUCKET_PIPELINE_NAME') ?? (env.BITBUCKET_PR_ID ? 'pull-requests' : env.BITBUCKET_TAG ? 'tags' : env.BITBUCKET_BRANCH ? 'branches' : null),
        job: v(env, 'BITBUCKET_STEP_NAME'),
        runUrl: repo && build ? `https://bitbucket.org/${repo}/pipelines/results/${build}${step ? `/steps/${encodeURIComponent(step)}` : ''}` : null,
        commit: v(env, 'BITBUCKET_COMMIT'),
        branch: v(env, 'BITBUCKET_BRANCH', 'BITBUCKET_TAG'),
        actor: v(env, 'BITBUCKET_STEP_TRIGGERER_UUID'),
      }
    }
    default:
      return {
        provider: 'generic',
        repository: v(env, 'CI_REPOSITORY', 'REPOSITORY_URL', 'DRONE_REPO', 'WOODPECKER_REPO'),
        workflow: v(env, 'CI_PIPELINE', 'DRONE_STAGE_NAME', 'CI_WORKFLOW_NAME'),
        job: v(env, 'CI_JOB', 'DRONE_STEP_NAME', 'CI_STEP_NAME'),
        runUrl: v(env, 'CI_RUN_URL', 'CI_BUILD_URL', 'DRONE_BUILD_LINK', 'BUILD_URL'),
        commit: v(env, 'CI_COMMIT', 'CI_COMMIT_SHA', 'DRONE_COMMIT_SHA', 'GIT_COMMIT'),
        branch: v(env, 'CI_BRANCH', 'CI_COMMIT_BRANCH', 'DRONE_BRANCH', 'GIT_BRANCH'),
        actor: v(env, 'CI_ACTOR', 'DRONE_COMMIT_AUTHOR'),
      }
  }
}

/** The default key: provider + repository + workflow + job (a failing job files one ticket, whatever the branch). */
export const defaultKey = (r: CiRun): string => ['ci', r.provider, r.repository ?? '-', r.workflow ?? '-', r.job ?? '-'].join(':')

/** "CI failed: nightly / build on main (acme/app)". */
export function defaultTitle(r: CiRun): string {
  const what = [r.workflow, r.job].filter(Boolean).join(' / ') || 'the pipeline'
  const where = r.branch ? ` on ${r.branch}` : ''
  const repo = r.repository ? ` (${r.repository.replace(/^https?:\/\/[^/]+\//, '').replace(/\.git$/, '')})` : ''
  return `${PROVIDER_NAMES[r.provider]} failed: ${what}${where}${repo}`.slice(0, 300)
}

/** The ticket's custom fields for a run (only what is known). */
export function runFields(r: CiRun): Record<string, string> {
  const out: Record<string, string> = {provider: r.provider}
  for (const k of ['repository', 'workflow', 'job', 'runUrl', 'commit', 'branch', 'actor'] as const) if (r[k]) out[k] = r[k]!
  return out
}

// ------------------------------------------------------------------ logs

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[@-Z\\-_])|[\u0080-\u009F]/g

/** Colours and other escape sequences removed; carriage-return progress lines reduced to what stayed on screen. */
export function stripAnsi(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r', line.length - 2) + 1).replace(/\r$/, '') : line))
    .join('\n')
}

export const MASK = '***'

/** Tokens with a recognisable shape (each pattern is linear: no nested repetition). */
const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,255}\b/g,
  /\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bxapp-\d-[A-Za-z0-9-]{10,}/g,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g, // Stripe
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI / Anthropic style
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bpypi-[A-Za-z0-9_-]{50,}\b/g,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, // SendGrid
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JSON Web Tokens
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
]

/** `Authorization: Bearer x`, `password=x`, `"api_key": "x"`, `://user:x@host`: the value masked, the name kept. */
const VALUE_PATTERNS: [RegExp, (m: string, ...g: string[]) => string][] = [
  [/\b(authorization\s*[:=]\s*["']?)(bearer|basic|token|bot)(\s+)[^\s"',;]+/gi, (_m, a, b, c) => `${a}${b}${c}${MASK}`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, (_m, a) => `${a}${MASK}`],
  [/\b((?:[a-z0-9_.-]{0,40}?)(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth)["']?\s*[:=]\s*)(["']?)([^\s"'&,;]{1,})\2/gi, (_m, a, q) => `${a}${q}${MASK}${q}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, (_m, a) => `${a}${MASK}@`],
]

const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i

/**
 * Masks values that look like secrets: known token shapes, `password=`/`token:` style assignments,
 * bearer headers, credentials in URLs, and the values of this process's environment variables whose
 * names say they are secret. Returns the text and how many values were masked.
 */
export function maskSecrets(text: string, env: Env = {}): {text: string; masked: number} {
  let masked = 0
  let out = text
  const secrets = Object.entries(env)
    .filter(([k, val]) => SECRET_ENV.test(k) && typeof val === 'string' && val.length >= 8 && !/^(true|false|\d+)$/i.test(val))
    .map(([, val]) => val!)
    .sort((a, b) => b.length - a.length)
  for (const s of secrets) {
    const parts = out.split(s)
    masked += parts.length - 1
    out = parts.join(MASK)
  }
  for (const re of TOKEN_PATTERNS) {
    out = out.replace(re, () => {
      masked++
      return MASK
    })
  }
  for (const [re, fn] of VALUE_PATTERNS) {
    out = out.replace(re, (...args: string[]) => {
      const replaced = fn(...(args as [string, ...string[]]))
      if (replaced !== args[0]) masked++
      return replaced
    })
  }
  return {text: out, masked}
}

/** The last `n` lines (a trailing newline does not count as an empty last line). */
export function tailLines(text: string, n: number): {text: string; total: number} {
  const lines = text.replace(/\n$/, '').split('\n')
  return {text: lines.slice(Math.max(0, lines.length - n)).join('\n'), total: lines.length}
}

/** The ticket body of a failed run: what ran where, then the log's last lines in a fence. */
export function failureBody(r: CiRun, log: {name: string; tail: string; lines: number; total: number; masked: number} | null, note?: string): string {
  const rows: string[] = [`${PROVIDER_NAMES[r.provider]} run failed.`, '']
  const add = (k: string, val: string | null) => val && rows.push(`- ${k}: ${val}`)
  add('Repository', r.repository)
  add('Workflow', r.workflow)
  add('Job', r.job)
  add('Branch', r.branch)
  add('Commit', r.commit)
  add('Actor', r.actor)
  add('Run', r.runUrl)
  if (note) rows.push('', note)
  if (log) {
    const fence = log.tail.includes('```') ? '~~~~' : '```'
    rows.push('', `Last ${Math.min(log.lines, log.total)} of ${log.total} lines of ${log.name} (colours removed${log.masked > 0 ? `, ${log.masked} secret${log.masked === 1 ? '' : 's'} masked` : ''}; the whole log is attached):`, fence, log.tail, fence)
  }
  return rows.join('\n')
}

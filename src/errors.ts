/** The exit codes are a public interface (README "Exit codes"); tests pin them. */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  sync: 4,
} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** The error a person sees: one sentence saying what is wrong, and a hint naming what to run. */
export class TixError extends Error {
  readonly exitCode: ExitCodeValue
  readonly hint?: string
  readonly code: string
  readonly details?: unknown

  constructor(message: string, opts: {exitCode?: ExitCodeValue; hint?: string; code?: string; details?: unknown} = {}) {
    super(message)
    this.name = 'TixError'
    this.exitCode = opts.exitCode ?? ExitCode.error
    this.hint = opts.hint
    this.code = opts.code ?? 'error'
    this.details = opts.details
  }
}

export const usageError = (message: string, hint?: string, details?: unknown) =>
  new TixError(message, {exitCode: ExitCode.usage, hint, code: 'usage', details})

export const notFoundError = (message: string, hint?: string, details?: unknown) =>
  new TixError(message, {exitCode: ExitCode.notFound, hint, code: 'not-found', details})

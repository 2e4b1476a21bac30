// desk.json: the desk's configuration, on the desk branch. Validation names the JSON path and what
// is expected, so a person can fix the file without reading code.
import {usageError} from '../../errors.js'
import {validateAttachmentsConfig} from '../ticket/attachments.js'

export interface DeskConfig {
  version: number
  name?: string
  timezone: string
  /** Remote that `tix sync` uses when none is given. */
  remote?: string
  [key: string]: unknown
}

export const DEFAULT_CONFIG: DeskConfig = {version: 1, name: 'Help desk', timezone: 'UTC'}

export interface ConfigProblem {
  path: string
  message: string
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

export function isValidTimeZone(tz: string): boolean {
  // Every command validates desk.json: the list of zone names costs ~1 ms, a DateTimeFormat ~10 ms
  // (it loads ICU's formatting data), so the formatter only checks names the list lacks (aliases).
  if (tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz)) return true
  try {
    new Intl.DateTimeFormat('en-US', {timeZone: tz})
    return true
  } catch {
    return false
  }
}

/**
 * A git remote's name as desk.json may give it: desk.json arrives with every fetch, so a value like
 * "--upload-pack=..." must never reach a git command line, nor be echoed in a hint as one.
 */
export const isRemoteName = (name: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$/.test(name) && !name.includes('..') && !name.endsWith('.lock') && !name.endsWith('/')

/** Extra checks other parts of tix register for their own sections (departments, sla, rules...). */
export const sectionValidators: Array<(config: Record<string, unknown>, problems: ConfigProblem[]) => void> = []

export function validateConfig(value: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  if (!isObj(value)) return [{path: '(root)', message: 'expected a JSON object'}]
  if (value.version !== undefined && value.version !== 1) problems.push({path: 'version', message: 'expected 1'})
  if (value.name !== undefined && typeof value.name !== 'string') problems.push({path: 'name', message: 'expected a string'})
  if (value.timezone !== undefined && (typeof value.timezone !== 'string' || !isValidTimeZone(value.timezone))) {
    problems.push({path: 'timezone', message: 'expected an IANA time zone such as "Europe/Berlin"'})
  }
  if (value.remote !== undefined && (typeof value.remote !== 'string' || !isRemoteName(value.remote))) {
    problems.push({path: 'remote', message: 'expected a remote name such as "origin" (letters, digits, ".", "_", "-" and "/", not starting with "-")'})
  }
  if (value.deskId !== undefined && (typeof value.deskId !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(value.deskId))) {
    problems.push({path: 'deskId', message: 'expected letters, digits and . _ : - (the ids of dedupe keys derive from it)'})
  }
  validateAttachmentsConfig(value, problems)
  for (const check of sectionValidators) check(value, problems)
  return problems
}

/** Parses and validates desk.json text; throws a usage error (exit 2) naming every problem. */
export function parseConfig(text: string | null, source = 'desk.json'): DeskConfig {
  if (text === null) return {...DEFAULT_CONFIG}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw usageError(`${source} is not valid JSON: ${(error as Error).message}.`, 'Fix it with `tix config edit`, or look at it with `git show tix:desk.json`.')
  }
  const problems = validateConfig(value)
  if (problems.length > 0) {
    throw usageError(
      `${source} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
      'Fix it with `tix config edit` (it validates before it saves).',
      {problems},
    )
  }
  return {...DEFAULT_CONFIG, ...(value as Record<string, unknown>)} as DeskConfig
}

// desk.json's own keys: version, name, timezone, remote, deskId (and the "$schema" editors read).
// Every other section sits next to the code that uses it; src/domain/config/config.ts lists them.
import type {DeskSection, SectionSchema} from './section.js'

export interface DeskConfig {
  version: number
  name?: string
  timezone: string
  /** Remote that `tix sync` uses when none is given. */
  remote?: string
  [key: string]: unknown
}

export const DEFAULT_CONFIG: DeskConfig = {version: 1, name: 'Help desk', timezone: 'UTC'}

const zones = new Map<string, boolean>()

export function isValidTimeZone(tz: string): boolean {
  // Every command validates desk.json (its timezone, then the workflow's zone, then each calendar's):
  // the list of zone names costs ~1 ms, a DateTimeFormat ~10 ms (it loads ICU's formatting data), so
  // the formatter only checks names the list lacks (aliases), and each answer is kept.
  let ok = zones.get(tz)
  if (ok === undefined) {
    ok = tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz)
    if (!ok) {
      try {
        new Intl.DateTimeFormat('en-US', {timeZone: tz})
        ok = true
      } catch {
        ok = false
      }
    }
    zones.set(tz, ok)
  }
  return ok
}

/**
 * A git remote's name as desk.json may give it: desk.json arrives with every fetch, so a value like
 * "--upload-pack=..." must never reach a git command line, nor be echoed in a hint as one.
 */
export const isRemoteName = (name: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$/.test(name) && !name.includes('..') && !name.endsWith('.lock') && !name.endsWith('/')

const DESK_ID = /^[A-Za-z0-9._:-]{1,100}$/

export const coreSection: DeskSection = {
  keys: ['$schema', 'version', 'name', 'timezone', 'remote', 'deskId'],
  compile(value, problems) {
    if (value.version !== undefined && value.version !== 1) problems.push({path: 'version', message: 'expected 1'})
    if (value.name !== undefined && typeof value.name !== 'string') problems.push({path: 'name', message: 'expected a string'})
    if (value.timezone !== undefined && (typeof value.timezone !== 'string' || !isValidTimeZone(value.timezone))) {
      problems.push({path: 'timezone', message: 'expected an IANA time zone such as "Europe/Berlin"'})
    }
    if (value.remote !== undefined && (typeof value.remote !== 'string' || !isRemoteName(value.remote))) {
      problems.push({path: 'remote', message: 'expected a remote name such as "origin" (letters, digits, ".", "_", "-" and "/", not starting with "-")'})
    }
    if (value.deskId !== undefined && (typeof value.deskId !== 'string' || !DESK_ID.test(value.deskId))) {
      problems.push({path: 'deskId', message: 'expected letters, digits and . _ : - (the ids of dedupe keys derive from it)'})
    }
  },
}

export function coreSchema(): SectionSchema {
  return {
    $schema: {type: 'string'},
    version: {const: 1},
    name: {type: 'string', description: 'Name of the desk.'},
    timezone: {
      type: 'string',
      description: 'IANA time zone for business hours, SLA and reports.',
      examples: ['Europe/Berlin', 'America/New_York', 'UTC'],
    },
    remote: {type: 'string', description: 'Remote that `tix sync` uses by default.'},
    deskId: {
      type: 'string',
      pattern: '^[A-Za-z0-9._:-]{1,100}$',
      description: 'Names the desk for `tix new --dedupe-key` and `tix ci`: ticket ids derive from it and the key, so every clone computes the same id. Default: the desk branch\'s first commit.',
    },
  }
}

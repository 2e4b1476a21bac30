// desk.json: the desk's configuration, on the desk branch. validateDesk runs every section listed in
// DESK_SECTIONS, in that order; each names the JSON path and what is expected, so a person can fix
// the file without reading code. schema/desk.schema.json is generated from the same sections
// (src/domain/config/desk-schema.ts, `node scripts/schema.mjs`).
import {usageError} from '../../errors.js'
import {fieldsSection} from '../ticket/fields.js'
import {attachmentsSection} from '../ticket/attachments.js'
import {mailSection} from '../mail/config.js'
import {webSection} from '../workflow/config/web.js'
import {finishWorkflow, newWorkflowDraft} from '../workflow/config/draft.js'
import {rememberWorkflow, WORKFLOW_SECTIONS} from '../workflow/workflow-config.js'
import {coreSection, DEFAULT_CONFIG, type DeskConfig} from './core.js'
import type {CompiledDesk, ConfigProblem, DeskSection} from './section.js'

export {DEFAULT_CONFIG, isRemoteName, isValidTimeZone, type DeskConfig} from './core.js'
export type {ConfigProblem} from './section.js'

/** Every section of desk.json, in the order they are checked (and their problems listed). */
export const DESK_SECTIONS: readonly DeskSection[] = [coreSection, attachmentsSection, fieldsSection, webSection, ...WORKFLOW_SECTIONS, mailSection]

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** Checks a desk.json value section by section and compiles its workflow on the way. */
export function compileDesk(value: unknown): CompiledDesk {
  const config = isObj(value) ? value : {}
  const problems: ConfigProblem[] = isObj(value) ? [] : [{path: '(root)', message: 'expected a JSON object'}]
  const draft = {workflow: newWorkflowDraft(config)}
  if (isObj(value)) for (const section of DESK_SECTIONS) section.compile(config, problems, draft)
  return {problems, workflow: finishWorkflow(config, draft.workflow)}
}

/** Every problem of a desk.json value (empty: valid), each with its JSON path. */
export const validateDesk = (value: unknown): ConfigProblem[] => compileDesk(value).problems

/** Parses and validates desk.json text; throws a usage error (exit 2) naming every problem. */
export function parseConfig(text: string | null, source = 'desk.json'): DeskConfig {
  if (text === null) return {...DEFAULT_CONFIG}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw usageError(`${source} is not valid JSON: ${(error as Error).message}.`, 'Fix it with `tix config edit`, or look at it with `git show tix:desk.json`.')
  }
  const {problems, workflow} = compileDesk(value)
  if (problems.length > 0) {
    throw usageError(
      `${source} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
      'Fix it with `tix config edit` (it validates before it saves).',
      {problems},
    )
  }
  const config = {...DEFAULT_CONFIG, ...(value as Record<string, unknown>)} as DeskConfig
  rememberWorkflow(config, value as Record<string, unknown>, workflow)
  return config
}

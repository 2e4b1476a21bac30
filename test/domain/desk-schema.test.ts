// schema/desk.schema.json is generated from the desk.json sections (src/domain/config/desk-schema.ts):
// the committed file must be what they generate, and real desk.json files must pass both the
// schema (checked by a real JSON Schema validator) and validateDesk.
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import Ajv from 'ajv'
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG, DESK_SECTIONS, validateDesk} from '../../src/domain/config/config.js'
import {deskSchema, deskSchemaText} from '../../src/domain/config/desk-schema.js'
import {SCHEMA_URL} from '../../src/domain/workflow/workflow-config.js'
import {deskConfig} from '../../fixtures/generate.js'
import {OFFICE_DESK} from '../../fixtures/reports/office.js'
import {ROOT} from '../helpers.js'

const committed = readFileSync(join(ROOT, 'schema', 'desk.schema.json'), 'utf8')
const validate = new Ajv({allErrors: true}).compile(JSON.parse(committed))
const schemaErrors = (config: unknown) => (validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`))

/** The desk.json examples of the docs: ```json blocks whose keys are desk.json keys (a rule alone is put in "rules"). */
function docExamples(): {where: string; config: Record<string, unknown>}[] {
  const keys = new Set(DESK_SECTIONS.flatMap((s) => s.keys))
  const out: {where: string; config: Record<string, unknown>}[] = []
  for (const file of ['README.md', 'docs/helpdesk.md', 'docs/serve.md', 'docs/kb.md', 'docs/mail.md']) {
    const text = readFileSync(join(ROOT, file), 'utf8')
    for (const [i, m] of [...text.matchAll(/```json\n([\s\S]*?)```/g)].entries()) {
      const body = m[1]!.trim()
      let value: unknown
      try {
        value = JSON.parse(body.startsWith('"') ? `{${body}}` : body)
      } catch {
        continue // several JSON lines (events), not a desk.json
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue
      const config = 'then' in value && 'name' in value ? {rules: [value]} : (value as Record<string, unknown>)
      if (Object.keys(config).every((k) => keys.has(k))) out.push({where: `${file} block ${i + 1}`, config})
    }
  }
  return out
}

describe('schema/desk.schema.json', () => {
  it('is what the desk.json sections generate (run `npm run schema` after changing one; never edit the file by hand)', () => {
    expect(committed).toBe(deskSchemaText())
  })

  it('describes exactly the keys validateDesk checks, under the public $id', () => {
    const schema = deskSchema() as {$id: string; properties: Record<string, unknown>}
    expect(Object.keys(schema.properties)).toEqual(DESK_SECTIONS.flatMap((s) => s.keys))
    expect(schema.$id).toBe(SCHEMA_URL)
  })

  it('scripts/schema.mjs --check agrees with the committed file', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'schema.mjs'), '--check'], {encoding: 'utf8'})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('schema/desk.schema.json is up to date.\n')
  })
})

describe('real desk.json files pass the schema and validateDesk', () => {
  const examples = docExamples()
  const real = [
    {where: 'the demo desk (fixtures/generate.ts)', config: deskConfig()},
    {where: 'the desk of the report fixtures (fixtures/reports/office.ts)', config: OFFICE_DESK},
    {where: 'the desk.json of `tix init`', config: {$schema: SCHEMA_URL, ...DEFAULT_CONFIG}},
    ...examples,
  ]

  it('finds the examples of the docs (fields, automations, hooks, the portal, an article rule)', () => {
    expect(examples.map((e) => Object.keys(e.config)).flat()).toEqual(expect.arrayContaining(['fields', 'automations', 'hooks', 'web', 'departments', 'rules']))
  })

  it.each(real)('$where', ({config}) => {
    const full = {$schema: SCHEMA_URL, ...DEFAULT_CONFIG, ...config}
    expect(validateDesk(full)).toEqual([])
    expect(schemaErrors(full)).toEqual([])
  })

  it('between them they use every help-desk section (so the checks above mean something)', () => {
    const used = new Set(real.flatMap((r) => Object.keys(r.config)))
    expect([...used].sort()).toEqual(expect.arrayContaining(['agents', 'automations', 'calendars', 'departments', 'fields', 'hooks', 'rules', 'sla', 'web']))
  })
})

describe('the schema refuses what validateDesk refuses', () => {
  const broken: Record<string, Record<string, unknown>> = {
    'an unknown strategy': {departments: {it: {assignment: 'fastest'}}},
    'an unknown hook event': {hooks: [{on: ['deleted'], run: ['node', 'x.js']}]},
    'a misspelt agent key': {agents: {'ana@example.com': {colour: 'red'}}},
    'an SLA target for an unknown priority': {sla: [{name: 'std', targets: {critical: {firstResponse: '1h'}}}]},
    'a duration that is not one': {sla: [{name: 'std', targets: {urgent: {firstResponse: 'soon'}}}]},
    'an action that does not exist': {rules: [{name: 'r', then: {colour: 'red'}}]},
    'an automation without its time condition key spelt right': {automations: [{name: 'a', if: {idle: '1d'}, then: {status: 'open'}}]},
    'a mail setting that is not one': {mail: {address: 'help@example.com', server: 'imap.example.com'}},
    'an article score of 0': {rules: [{name: 'r', then: {article: {minScore: 0}}}]},
    'a field type that does not exist': {fields: {plan: {type: 'list'}}},
    'an attachment limit below 1 byte': {attachments: {maxBytes: 0}},
    'a desk id with a space': {deskId: 'my desk'},
  }
  it.each(Object.entries(broken))('%s', (_name, config) => {
    const full = {...DEFAULT_CONFIG, ...config}
    expect(validateDesk(full)).not.toEqual([])
    expect(schemaErrors(full)).not.toEqual([])
  })
})

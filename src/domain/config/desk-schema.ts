// The JSON Schema of desk.json, assembled from the sections' own schemas (each next to the code that
// checks the section). scripts/schema.mjs writes it to schema/desk.schema.json, which ships in the
// package for editors (SCHEMA_URL); test/domain/desk-schema.test.ts fails when the two differ. Only
// the generator and the tests import this file, so the schemas stay out of the CLI bundle.
import {attachmentsSchema} from '../ticket/attachments.js'
import {fieldsSchema} from '../ticket/fields.js'
import {mailSchema} from '../mail/config.js'
import {agentsSchema} from '../workflow/config/agents.js'
import {automationsSchema} from '../workflow/config/automations.js'
import {calendarsSchema} from '../workflow/config/calendars.js'
import {departmentsSchema} from '../workflow/config/departments.js'
import {hooksSchema} from '../workflow/config/hooks.js'
import {rulesSchema} from '../workflow/config/rules.js'
import {slaSchema} from '../workflow/config/sla.js'
import {webSchema} from '../workflow/config/web.js'
import {SCHEMA_URL} from '../workflow/workflow-config.js'
import {DESK_SECTIONS} from './config.js'
import {coreSchema} from './core.js'
import type {JsonSchema, SectionSchema} from './section.js'

/** The schema of every section (order does not matter: the file follows DESK_SECTIONS). */
const SECTION_SCHEMAS: readonly (() => SectionSchema)[] = [
  coreSchema,
  attachmentsSchema,
  fieldsSchema,
  webSchema,
  calendarsSchema,
  agentsSchema,
  departmentsSchema,
  slaSchema,
  rulesSchema,
  automationsSchema,
  hooksSchema,
  mailSchema,
]

/** desk.json's JSON Schema (draft-07): one property per key of DESK_SECTIONS, in their order. */
export function deskSchema(): JsonSchema {
  const byKey = new Map<string, JsonSchema>()
  for (const schema of SECTION_SCHEMAS) {
    for (const [key, fragment] of Object.entries(schema())) {
      if (byKey.has(key)) throw new Error(`desk.json schema: two sections describe "${key}"`)
      byKey.set(key, fragment)
    }
  }
  const properties: Record<string, JsonSchema> = {}
  for (const key of DESK_SECTIONS.flatMap((s) => s.keys)) {
    const fragment = byKey.get(key)
    if (fragment === undefined) throw new Error(`desk.json schema: no section schema describes "${key}"`)
    properties[key] = fragment
    byKey.delete(key)
  }
  if (byKey.size > 0) throw new Error(`desk.json schema: ${[...byKey.keys()].join(', ')} described, but no section in DESK_SECTIONS checks it`)
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_URL,
    title: 'tix desk.json',
    description: 'A tix desk\'s configuration (on the tix branch). Edit it with `tix config edit`; check it with `tix config validate`.',
    type: 'object',
    properties,
  }
}

/** The text of schema/desk.schema.json. */
export const deskSchemaText = (): string => `${JSON.stringify(deskSchema(), null, 2)}\n`

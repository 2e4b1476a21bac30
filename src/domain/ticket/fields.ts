// Custom fields (`--field plan=pro`): free keys on a ticket, optionally declared in desk.json's
// `fields` section with a type and allowed values. Pure: validation and conversion only.
import {usageError} from '../../errors.js'
import type {DeskConfig} from '../config/core.js'
import type {ConfigProblem, DeskSection, SectionSchema} from '../config/section.js'

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const
export type FieldType = (typeof FIELD_TYPES)[number]

export interface FieldSpec {
  type: FieldType
  /** For enum: the allowed values. */
  values?: string[]
  description?: string
}

/** A key is a safe identifier: a letter, then letters, digits, `_`, `-` or `.` (up to 64). */
export const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/
export const MAX_FIELD_VALUE = 1000

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/

export function checkFieldKey(key: string, what = '--field'): string {
  if (!FIELD_KEY.test(key)) throw usageError(`${what} key "${key}" is not valid: start with a letter, then letters, digits, _ - or . (up to 64).`, 'e.g. --field plan=pro --field order=NW-4222')
  return key
}

/** Validates desk.json's `fields` section. */
export function validateFields(config: Record<string, unknown>, problems: ConfigProblem[]): void {
  const v = config.fields
  if (v === undefined) return
  if (!isObj(v)) {
    problems.push({path: 'fields', message: 'expected an object: {"plan": {"type": "enum", "values": ["free", "pro"]}}'})
    return
  }
  for (const [key, spec] of Object.entries(v)) {
    const path = `fields.${key}`
    if (!FIELD_KEY.test(key)) problems.push({path, message: 'expected a key that starts with a letter, then letters, digits, _ - or . (up to 64)'})
    if (!isObj(spec)) {
      problems.push({path, message: 'expected {"type": "string" | "number" | "boolean" | "date" | "enum", "values": [...]}'})
      continue
    }
    for (const k of Object.keys(spec)) if (!['type', 'values', 'description'].includes(k)) problems.push({path: `${path}.${k}`, message: 'unknown key: expected type, values or description'})
    if (!(FIELD_TYPES as readonly unknown[]).includes(spec.type)) problems.push({path: `${path}.type`, message: `expected one of ${FIELD_TYPES.join(', ')}`})
    if (spec.description !== undefined && typeof spec.description !== 'string') problems.push({path: `${path}.description`, message: 'expected a string'})
    if (spec.type === 'enum') {
      if (!Array.isArray(spec.values) || spec.values.length === 0 || !spec.values.every((x) => typeof x === 'string' && x !== '')) problems.push({path: `${path}.values`, message: 'expected a non-empty list of strings (the allowed values)'})
    } else if (spec.values !== undefined) problems.push({path: `${path}.values`, message: 'only an enum field has values'})
  }
}

export const fieldsSection: DeskSection = {keys: ['fields'], compile: validateFields}

export function fieldsSchema(): SectionSchema {
  return {
    fields: {
      type: 'object',
      description: 'Custom fields tickets may carry (tix new/set --field key=value): their type and, for enum, the allowed values. Keys not declared here take any text.',
      propertyNames: {pattern: FIELD_KEY.source},
      additionalProperties: {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: {enum: FIELD_TYPES},
          values: {type: 'array', items: {type: 'string', minLength: 1}, minItems: 1, description: 'For enum: the allowed values.'},
          description: {type: 'string'},
        },
      },
    },
  }
}

/** The declared fields of a (validated) desk config. */
export function fieldSpecs(config: DeskConfig): Record<string, FieldSpec> {
  return isObj(config.fields) ? (config.fields as Record<string, FieldSpec>) : {}
}

/**
 * Converts what a person typed to the stored value: numbers as numbers, booleans as true/false,
 * dates as written (ISO), enums checked against their values. Undeclared keys are strings.
 */
export function fieldValue(key: string, raw: string, specs: Record<string, FieldSpec>, what = '--field'): string | number | boolean {
  checkFieldKey(key, what)
  if (raw.length > MAX_FIELD_VALUE) throw usageError(`${what} ${key}: the value is ${raw.length} characters long; keep it under ${MAX_FIELD_VALUE}.`)
  if (/[\p{Cc}]/u.test(raw)) throw usageError(`${what} ${key}: the value holds control characters.`)
  const spec = specs[key]
  const value = raw.trim()
  if (!spec || spec.type === 'string') return value
  switch (spec.type) {
    case 'number': {
      const n = Number(value)
      if (value === '' || !Number.isFinite(n)) throw usageError(`${what} ${key}="${raw}": expected a number (desk.json fields.${key}.type is number).`)
      return n
    }
    case 'boolean': {
      const b = value.toLowerCase()
      if (['true', 'yes', '1'].includes(b)) return true
      if (['false', 'no', '0'].includes(b)) return false
      throw usageError(`${what} ${key}="${raw}": expected true or false (desk.json fields.${key}.type is boolean).`)
    }
    case 'date':
      if (!DATE.test(value) || Number.isNaN(Date.parse(value))) throw usageError(`${what} ${key}="${raw}": expected a date like 2026-12-24 (desk.json fields.${key}.type is date).`)
      return value
    case 'enum':
      if (!spec.values!.includes(value)) throw usageError(`${what} ${key}="${raw}": expected one of ${spec.values!.join(', ')} (desk.json fields.${key}.values).`)
      return value
  }
  return value
}

/** `key=value` pairs from repeated flags, converted; a key given twice keeps the last value. */
export function parseFieldArgs(pairs: readonly string[], specs: Record<string, FieldSpec>, what = '--field'): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usageError(`${what} "${pair}" is not key=value.`, 'e.g. --field plan=pro')
    const key = pair.slice(0, eq).trim()
    out[key] = fieldValue(key, pair.slice(eq + 1), specs, what)
  }
  return out
}

/** The value as a report group or a CSV cell: strings as they are, others as JSON. */
export const fieldText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v))

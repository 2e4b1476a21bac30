// A desk served on 127.0.0.1 (a random port) by the real server, and a small JSON Schema check for
// validating responses against the served OpenAPI document.
import {afterAll} from 'vitest'
import {addToken, type Scope} from '../../src/services/serve/auth.js'
import {startServer, type RunningServer} from '../../src/services/serve/server.js'
import type {ServeOptions} from '../../src/services/serve/app.js'
import type {Desk} from '../../src/store/desk.js'
import {makeDesk} from '../helpers.js'

export const ENV = {TIX_ACTOR: 'Desk Agent <agent@example.com>', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1'}

const servers: RunningServer[] = []
afterAll(async () => {
  for (const s of servers.splice(0)) await s.close()
})

export async function servedDesk(opts: ServeOptions & {viewFlushSeconds?: number} = {}, setup?: (desk: Desk) => Promise<void>) {
  const made = await makeDesk(ENV)
  if (setup) await setup(made.desk)
  const server = await startServer(made.desk, {port: 0, ratePerIp: 0, ratePerToken: 0, ...opts})
  servers.push(server)
  const token = (name: string, ...scopes: Scope[]) => addToken(made.desk, name, scopes).token
  return {...made, server, url: server.url, token}
}

/** A visitor of the portal at `base()` with a cookie jar of one cookie (the CSRF one). */
export function visitor(base: () => string) {
  let cookie = ''
  const go = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(base() + path, {...init, redirect: 'manual', headers: {...(init.headers as Record<string, string>), ...(cookie ? {cookie} : {})}})
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]!
    return {res, text: await res.text()}
  }
  const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!
  const post = (path: string, fields: Record<string, string>) => go(path, {method: 'POST', body: new URLSearchParams(fields), headers: {'content-type': 'application/x-www-form-urlencoded'}})
  return {
    go,
    post,
    csrfOf,
    get cookie() {
      return cookie
    },
  }
}

type Schema = Record<string, unknown>

/** Checks `value` against a JSON Schema (the subset zod emits: type, properties, required, items, enum, const, anyOf, additionalProperties, $ref). */
export function schemaErrors(schema: Schema, value: unknown, root: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], root) as Schema
    return schemaErrors(target, value, root, path)
  }
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((s) => schemaErrors(s, value, root, path).length === 0)
    return ok ? [] : [`${path}: matches none of anyOf`]
  }
  if (Array.isArray(schema.oneOf)) {
    const n = (schema.oneOf as Schema[]).filter((s) => schemaErrors(s, value, root, path).length === 0).length
    return n === 1 ? [] : [`${path}: matches ${n} of oneOf`]
  }
  const errors: string[] = []
  if ('const' in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`)
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`)
  const types = schema.type === undefined ? null : ([] as string[]).concat(schema.type as string)
  if (types) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value
    const fits = types.some((t) => t === actual || (t === 'number' && actual === 'integer'))
    if (!fits) return [`${path}: expected ${types.join('|')}, got ${actual}`]
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>
    const props = (schema.properties ?? {}) as Record<string, Schema>
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}.${r}: required`)
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...schemaErrors(props[k]!, v, root, `${path}.${k}`))
      else if (schema.additionalProperties === false) errors.push(`${path}.${k}: not allowed`)
      else if (typeof schema.additionalProperties === 'object') errors.push(...schemaErrors(schema.additionalProperties as Schema, v, root, `${path}.${k}`))
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...schemaErrors(schema.items as Schema, v, root, `${path}[${i}]`)))
  return errors
}

/** Validates a response body against the schema the OpenAPI document gives for that operation and status. */
export function checkAgainst(doc: Schema, pathKey: string, method: string, status: number, body: unknown): string[] {
  const op = ((doc.paths as Schema)[pathKey] as Schema)[method] as Schema
  const res = (op.responses as Schema)[String(status)] as Schema | undefined
  if (!res) return [`${method.toUpperCase()} ${pathKey}: status ${status} is not documented`]
  const schema = ((res.content as Schema)['application/json'] as Schema).schema as Schema
  return schemaErrors(schema, body, doc)
}

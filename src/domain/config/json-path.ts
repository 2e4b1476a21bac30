// Paths into desk.json for `tix config get/set`: `sla[0].targets.urgent`, `departments.it.name`,
// `agents["ana@example.com"].tier`. Keys that contain dots (e-mail addresses) are found as written
// when they exist (`agents.ana@example.com.tier`); a new one needs the bracket form.
import {usageError} from '../../errors.js'

export type Token = string | number

export function parsePath(path: string): Token[] {
  const out: Token[] = []
  let i = 0
  const s = path.trim()
  if (s === '') throw usageError('The key is empty.', 'e.g. tix config get sla[0].targets')
  while (i < s.length) {
    if (s[i] === '.') {
      i++
      continue
    }
    if (s[i] === '[') {
      const close = s.indexOf(']', i)
      if (close < 0) throw usageError(`The key "${path}" has a "[" without "]".`)
      const inner = s.slice(i + 1, close).trim()
      if (/^\d+$/.test(inner)) out.push(Number(inner))
      else if (/^"(.*)"$/.test(inner) || /^'(.*)'$/.test(inner)) out.push(inner.slice(1, -1))
      else throw usageError(`The key "${path}" has "[${inner}]": use a number or a quoted key like ["ana@example.com"].`)
      i = close + 1
      continue
    }
    let j = i
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++
    out.push(s.slice(i, j))
    i = j
  }
  // Keys JavaScript objects treat specially would set nothing (or the prototype), not a desk.json value.
  const special = out.find((t) => typeof t === 'string' && FORBIDDEN_KEYS.has(t))
  if (special !== undefined) {
    throw usageError(`The key "${path}" names "${special}", which desk.json cannot hold (it is reserved in JavaScript objects).`, 'See `tix config get` for the keys desk.json has.')
  }
  return out
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** Resolves tokens against a value: dotted keys that exist as written win (e-mail addresses). */
function resolve(root: unknown, tokens: Token[]): {parent: unknown; key: Token; value: unknown; found: boolean; path: string}[] {
  const steps: {parent: unknown; key: Token; value: unknown; found: boolean; path: string}[] = []
  let cur = root
  let path = ''
  for (let i = 0; i < tokens.length; ) {
    let key: Token = tokens[i]!
    let used = 1
    if (isObj(cur) && typeof key === 'string') {
      for (let j = tokens.length; j > i + 1; j--) {
        const parts = tokens.slice(i, j)
        if (parts.every((p) => typeof p === 'string') && parts.join('.') in cur) {
          key = parts.join('.')
          used = j - i
          break
        }
      }
    }
    const found = isObj(cur) ? Object.hasOwn(cur, String(key)) : Array.isArray(cur) && typeof key === 'number' && key < cur.length
    const value = found ? (cur as Record<string, unknown>)[key as string] : undefined
    path += typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`
    steps.push({parent: cur, key, value, found, path})
    cur = value
    i += used
  }
  return steps
}

export function getPath(root: unknown, path: string): {found: boolean; value: unknown; path: string} {
  const steps = resolve(root, parsePath(path))
  const last = steps.at(-1)!
  return {found: steps.every((s) => s.found), value: last.value, path: last.path}
}

/** Sets (or with `remove`, deletes) the value at path, creating objects on the way. Returns the canonical path. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown, remove = false): string {
  const tokens = parsePath(path)
  const steps = resolve(root, tokens)
  let cur: unknown = root
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!
    const last = i === steps.length - 1
    // A dotted path cuts a new e-mail key apart ("bob@example" . "com"); a bracketed key keeps its dots.
    if (!s.found && typeof s.key === 'string' && s.key.includes('@') && !s.key.includes('.')) {
      throw usageError(`"${path}": a new key with "@" or "." needs brackets, e.g. agents["bob@example.com"].tier.`, 'Or add the agent with `tix agent add EMAIL`.')
    }
    if (Array.isArray(cur)) {
      if (typeof s.key !== 'number') throw usageError(`"${s.path}" is a list: use an index such as [0].`)
      if (s.key > cur.length) throw usageError(`"${s.path}": the list has ${cur.length} items; use [${cur.length}] to add one.`)
    } else if (!isObj(cur)) {
      throw usageError(`"${s.path}" cannot be set: its parent is ${JSON.stringify(cur)}, not an object.`)
    } else if (typeof s.key === 'number') {
      throw usageError(`"${s.path}": the value there is an object; use a key, not [${s.key}].`)
    }
    const container = cur as Record<string | number, unknown>
    if (last) {
      if (remove) {
        if (!s.found) throw usageError(`"${path}" is not set.`, 'See `tix config get`.')
        if (Array.isArray(container)) (container as unknown[]).splice(s.key as number, 1)
        else delete container[s.key]
      } else container[s.key] = value
      return s.path
    }
    if (!s.found || (typeof container[s.key] !== 'object' || container[s.key] === null)) {
      if (remove) throw usageError(`"${path}" is not set.`, 'See `tix config get`.')
      container[s.key] = typeof steps[i + 1]!.key === 'number' ? [] : {}
    }
    cur = container[s.key]
  }
  return path
}

/** A value typed on the command line: JSON when it parses (numbers, true, lists, objects), else the text. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

// Shell completion: what to offer for the word being typed, given the words before it. The shells'
// scripts (`tix completion bash|zsh|fish`) call `tix __complete -- <words...>` and show its lines
// ("value<TAB>description"). Commands and flags come from oclif's manifest; the desk's values (open
// tickets, agents, departments, statuses, macros) from the cache, so a warm desk needs no git call.
import {CHANNELS, PRIORITIES, STATUSES, TYPES} from '../domain/ticket/model.js'
import {shortId} from '../domain/ticket/ids.js'
import type {Desk} from '../store/desk.js'

export interface FlagSpec {
  name: string
  char?: string
  /** Takes a value (`--status open`), as opposed to a switch. */
  value: boolean
  options?: readonly string[]
  summary?: string
}

export interface CommandSpec {
  /** oclif id: "list", "config:get". */
  id: string
  summary?: string
  args: string[]
  flags: FlagSpec[]
}

export interface Candidate {
  value: string
  description?: string
}

export type ValueKind = 'ticket' | 'agent' | 'department' | 'status' | 'priority' | 'type' | 'channel' | 'macro'

/** The desk's values, asked for only when needed (a command name never opens the desk). */
export type ValueSource = (kind: ValueKind) => Promise<Candidate[]>

/** Which desk values an argument or a flag takes, by its name (and the command, where it matters). */
function kindOf(name: string, commandId: string): ValueKind | null {
  if (['id', 'a', 'b', 'source', 'into'].includes(name)) return 'ticket'
  if (name === 'agent' || name === 'assignee' || name === 'to') return 'agent'
  if (name === 'department' || name === 'dept' || name === 'to-dept') return 'department'
  if (name === 'status') return 'status'
  if (name === 'priority') return 'priority'
  if (name === 'type') return commandId === 'attach' ? null : 'type'
  if (name === 'channel') return 'channel'
  if (name === 'name' && commandId.startsWith('macro:')) return 'macro'
  return null
}

const startsWith = (prefix: string) => (c: Candidate) => c.value.toLowerCase().startsWith(prefix.toLowerCase())

/**
 * Candidates for the last of `words` (the word being typed, '' for a fresh one); `words` are the
 * command line after `tix`.
 */
export async function complete(words: readonly string[], commands: readonly CommandSpec[], values: ValueSource): Promise<Candidate[]> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const ids = new Set(commands.map((c) => c.id))
  // The command: the longest run of leading words that names one ("config get" is config:get).
  let used = 0
  let topicWords = 0
  let command: CommandSpec | undefined
  for (let n = 1; n <= before.length; n++) {
    const id = before.slice(0, n).join(':')
    const isTopic = [...ids].some((x) => x.startsWith(id + ':'))
    if (ids.has(id)) {
      used = n
      command = commands.find((c) => c.id === id)
    }
    if (isTopic) topicWords = n
    else if (!ids.has(id)) break
  }
  if (command === undefined || (used === before.length && !current.startsWith('-') && commands.some((c) => c.id.startsWith(command!.id + ':')))) {
    // Still naming the command: the next word of every id under what was typed.
    if (command === undefined && topicWords < before.length) return []
    const topic = before.slice(0, command === undefined ? topicWords : used).join(':')
    const seen = new Map<string, Candidate>()
    for (const c of commands) {
      if (topic && !c.id.startsWith(topic + ':')) continue
      const rest = topic ? c.id.slice(topic.length + 1) : c.id
      const word = rest.split(':')[0]!
      if (!seen.has(word)) seen.set(word, {value: word, description: rest.includes(':') ? `${topic ? topic + ' ' : ''}${word} ...` : c.summary})
    }
    if (command === undefined || before.length > used) return [...seen.values()].filter(startsWith(current))
    // "tix report <TAB>": its own arguments and flags, and its subcommands.
    const own = await completeFor(command, before.slice(used), current, values)
    return [...[...seen.values()].filter(startsWith(current)), ...own]
  }
  return completeFor(command, before.slice(used), current, values)
}

async function completeFor(command: CommandSpec, rest: readonly string[], current: string, values: ValueSource): Promise<Candidate[]> {
  const flags = [...command.flags, {name: 'json', value: false, summary: 'Print a JSON document.'}, {name: 'help', value: false, summary: 'Show help.'}]
  const flagNamed = (word: string) => (word.startsWith('--') ? flags.find((f) => f.name === word.slice(2)) : word.length === 2 && word[0] === '-' ? flags.find((f) => f.char === word[1]) : undefined)
  // Positional arguments so far, skipping flags and their values.
  let position = 0
  let afterDashes = false
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!
    if (afterDashes || !w.startsWith('-')) position++
    else if (w === '--') afterDashes = true
    else if (!w.includes('=') && flagNamed(w)?.value) i++
  }
  const previous = rest.at(-1)
  const valueOf = previous !== undefined && !afterDashes && !previous.includes('=') ? flagNamed(previous) : undefined
  if (valueOf?.value) return flagValues(valueOf, command.id, current, values)
  if (current.startsWith('--') && current.includes('=')) {
    const [name, partial] = [current.slice(0, current.indexOf('=')), current.slice(current.indexOf('=') + 1)]
    const flag = flagNamed(name)
    if (!flag?.value) return []
    return (await flagValues(flag, command.id, partial, values)).map((c) => ({...c, value: `${name}=${c.value}`}))
  }
  if (current.startsWith('-') && !afterDashes) {
    return flags.map((f) => ({value: `--${f.name}`, description: f.summary})).filter(startsWith(current))
  }
  const arg = command.args[position]
  if (arg === undefined) return []
  let kind = kindOf(arg, command.id)
  if (command.id === 'macro:apply' && arg === 'name') kind = 'macro'
  if (command.id === 'assign' && arg === 'agent') {
    const agents = await values('agent')
    return [{value: 'me', description: 'yourself'}, ...agents].filter(startsWith(current))
  }
  return kind ? (await values(kind)).filter(startsWith(current)) : []
}

async function flagValues(flag: FlagSpec, commandId: string, current: string, values: ValueSource): Promise<Candidate[]> {
  if (flag.options && flag.options.length > 0) return flag.options.map((o) => ({value: o})).filter(startsWith(current))
  const kind = kindOf(flag.name, commandId)
  if (kind === null) return []
  const list = await values(kind)
  // list filters take comma-separated values: complete the last one
  const comma = current.lastIndexOf(',')
  if (comma < 0) return list.filter(startsWith(current))
  const head = current.slice(0, comma + 1)
  return list.filter(startsWith(current.slice(comma + 1))).map((c) => ({...c, value: head + c.value}))
}

/** The desk's values, from its index (the cache when it is warm). Statuses and the like need no desk. */
export function deskValues(open: () => Promise<Desk | null>): ValueSource {
  const fixed: Partial<Record<ValueKind, readonly string[]>> = {status: STATUSES, priority: PRIORITIES, type: TYPES, channel: CHANNELS}
  return async (kind) => {
    const list = fixed[kind]
    if (list) return list.map((value) => ({value}))
    const desk = await open()
    if (desk === null) return []
    if (kind === 'macro') return (await desk.listFiles('macros')).map((e) => e.path).filter((p) => /^macros\/[^/]+\.md$/.test(p)).map((p) => ({value: p.slice(7, -3)}))
    const index = await desk.index()
    if (kind === 'ticket') {
      return Object.values(index.open)
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
        .map((t) => ({value: shortId(index.ids, t.id), description: `${t.status} ${t.title}`.slice(0, 60)}))
    }
    const config = index.config as unknown as Record<string, unknown>
    const keysOf = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : [])
    const nameOf = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as {name?: unknown}).name === 'string' ? (v as {name: string}).name : undefined)
    if (kind === 'agent') return keysOf(config.agents).map(([email, a]) => ({value: email, description: nameOf(a)}))
    return keysOf(config.departments).map(([key, d]) => ({value: key, description: nameOf(d)}))
  }
}

// Macros: the files under macros/ on the desk branch (list, read, save) and applying one to a
// ticket (`tix macro apply`), in one commit with the update rules.
import {notFoundError, usageError} from '../../errors.js'
import {checkMacroName, macroPath, parseMacro, serializeMacro, type Macro} from '../../domain/workflow/macros.js'
import {applyMacro} from '../../domain/workflow/workflow.js'
import {actionRefs, workflowOf} from '../../domain/workflow/workflow-config.js'
import type {Desk} from '../../store/desk.js'
import {changeOne} from './triggers.js'

/** Parses and validates macro text against the desk's current desk.json (placeholders, actions). */
async function macroParser(desk: Desk): Promise<(name: string, text: string) => Macro> {
  const {config} = await desk.index()
  const wf = workflowOf(config)
  const refs = actionRefs(wf, config)
  return (name, text) => parseMacro(name, text, wf, refs)
}

const noMacro = (name: string, hint = `See \`tix macro list\`, or make it with \`tix macro new ${name}\`.`) => notFoundError(`There is no macro "${name}".`, hint)

export async function listMacros(desk: Desk): Promise<Array<{name: string; macro: Macro | null; problem: string | null}>> {
  const tip = desk.requireTip()
  const entries = (await desk.listFiles('macros', tip)).filter((e) => /^macros\/[^/]+\.md$/.test(e.path))
  const parse = await macroParser(desk)
  const out = []
  for (const e of entries) {
    const name = e.path.slice('macros/'.length, -'.md'.length)
    try {
      out.push({name, macro: parse(name, (await desk.readText(e.path, tip)) ?? ''), problem: null})
    } catch (error) {
      out.push({name, macro: null, problem: (error as Error).message})
    }
  }
  return out
}

export async function readMacro(desk: Desk, name: string): Promise<{macro: Macro; text: string}> {
  checkMacroName(name)
  const text = await desk.readText(macroPath(name))
  if (text === null) throw noMacro(name)
  return {macro: (await macroParser(desk))(name, text), text}
}

/** Validates (placeholders, actions) and commits a macro file. `mustExist`: edit; false: new. */
export async function saveMacro(desk: Desk, name: string, text: string, opts: {mustExist: boolean}): Promise<{macro: Macro; commit: string | null}> {
  checkMacroName(name)
  const macro = (await macroParser(desk))(name, text)
  const content = serializeMacro(macro.front, macro.body)
  const res = await desk.change(async (_read, tip) => {
    const existing = await desk.readText(macroPath(name), tip)
    if (opts.mustExist && existing === null) throw noMacro(name, `Make it with \`tix macro new ${name}\`.`)
    if (!opts.mustExist && existing !== null) throw usageError(`A macro "${name}" already exists.`, `Change it with \`tix macro edit ${name}\`.`)
    if (existing === content) return null
    return {tickets: [], message: `${opts.mustExist ? 'Edit' : 'Add'} macro ${name}`, files: [{path: macroPath(name), content}]}
  })
  return {macro, commit: res?.commit ?? null}
}

/** `tix macro apply`: the macro's actions and reply on one ticket (previewed with dryRun). */
export function applyMacroTo(desk: Desk, name: string, idInput: string, opts: {dryRun?: boolean} = {}) {
  checkMacroName(name)
  return changeOne(desk, idInput, {...opts, macros: [name]}, (draft, env) => {
    const m = env.macros.get(name)
    if (!m) throw noMacro(name)
    applyMacro(draft, m, env)
    return m
  })
}

// The shape every part of desk.json shares (docs/architecture.md, "desk.json"): a section names the
// top-level keys it owns and checks them, appending problems with their JSON paths and filling its
// part of the compiled desk. Its JSON Schema lives next to it as plain data, in a separate export
// that only the schema generator reads, so the CLI bundle leaves it out (esbuild drops unused
// exports).
import type {Workflow} from '../workflow/config/types.js'
import type {WorkflowDraft} from '../workflow/config/draft.js'

export interface ConfigProblem {
  path: string
  message: string
}

/** A JSON Schema (draft-07) fragment. */
export type JsonSchema = {readonly [key: string]: unknown}

/** What a section contributes to schema/desk.schema.json: the schema of each key it owns. */
export type SectionSchema = Readonly<Record<string, JsonSchema>>

/** What the sections compile into, filled in the order validateDesk runs them. */
export interface DeskDraft {
  workflow: WorkflowDraft
}

export interface DeskSection {
  /** The top-level keys of desk.json this section owns (its schema names the same keys). */
  readonly keys: readonly string[]
  /** Checks the section and compiles it into `draft`; problems are appended, never thrown. */
  compile(config: Record<string, unknown>, problems: ConfigProblem[], draft: DeskDraft): void
}

/** The compiled desk: every problem, and the workflow the rest of tix uses. */
export interface CompiledDesk {
  problems: ConfigProblem[]
  workflow: Workflow
}

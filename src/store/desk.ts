// The desk: the `tix` branch of a repository, read through the cache and written one commit per
// change. Everything that touches git or the cache for the desk goes through this class.
//
// The class is built in layers, one concern a file (./desk/):
//   core.ts       which repository and branch, the actor, the clock, the tip
//   ticket-file.ts  where a ticket's log lives and how it folds
//   indexing.ts   reading tickets and the folded index, kept in the per-clone cache
//   writing.ts    one commit per change, retried on top of other writers
//   documents.ts  desk.json, macros and other plain files on the branch
// and this file finds and opens a desk.
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {TixError} from '../errors.js'
import {DeskDocuments} from './desk/documents.js'
import type {DeskIO} from './desk/core.js'
import {findRepo, requireRepo, type Repo} from './repo.js'
import {gitSync} from './git.js'

export type {DeskIO} from './desk/core.js'
export type {DeskIndex, SummaryScan} from './desk/indexing.js'
export {foldFile, ticketPath, type LoadedTicket} from './desk/ticket-file.js'

export class Desk extends DeskDocuments {
  /** TIX_BRANCH, else "tix"; refused when git would refuse it as a branch name (`git check-ref-format --branch`). */
  static branchName(env: NodeJS.ProcessEnv): string {
    const b = env.TIX_BRANCH?.trim() || 'tix'
    const why = branchNameProblem(b)
    if (why !== null) {
      throw new TixError(`TIX_BRANCH "${b}" is not a usable branch name: ${why}.`, {exitCode: 2, code: 'usage', hint: 'Unset TIX_BRANCH to use the "tix" branch, or name a branch such as tix-support.'})
    }
    return b
  }

  /** `git init` of a new repository at `path` (tix init outside any repository). */
  static initRepository(path: string): void {
    gitSync(['init', '--quiet', path], {cwd: path})
  }

  static locate(io: DeskIO): Desk {
    const start = io.repoPath ?? io.env.TIX_REPO ?? io.cwd
    return Desk.checked(new Desk(requireRepo(start), Desk.branchName(io.env), io))
  }

  static find(io: DeskIO): Desk | null {
    const repo = findRepo(io.repoPath ?? io.env.TIX_REPO ?? io.cwd)
    return repo ? Desk.checked(new Desk(repo, Desk.branchName(io.env), io)) : null
  }

  /** Refuses a branch that a work tree has checked out: tix writes it with plumbing and would leave that work tree behind. */
  private static checked(desk: Desk): Desk {
    const where = checkedOutIn(desk.repo, desk.branch)
    if (where !== null) {
      throw new TixError(`The branch "${desk.branch}" is checked out in ${where}, so it cannot hold the desk.`, {
        exitCode: 2,
        code: 'usage',
        hint: desk.branch === 'tix' ? 'Check out another branch there (`git switch main`): tix never needs its branch checked out.' : 'Unset TIX_BRANCH (the desk lives on "tix"), or name a branch no work tree has checked out.',
      })
    }
    return desk
  }

  /**
   * A desk this clone had on its branch before the branch was deleted: the commit its cache was last
   * built from (git drops a deleted branch's reflog, the cache remembers), when git still has it and
   * it holds desk.json. Null when there is none: `tix init` then starts a new desk without a word.
   */
  async previousDesk(): Promise<{commit: string; tickets: number} | null> {
    if (this.tip() !== null) return null
    const commit = this.cache.builtFrom()
    // a commit git no longer has reads as no desk.json
    if (commit === null || (await this.readFile('desk.json', commit)) === null) return null
    return {commit, tickets: (await this.listFiles('tickets', commit)).length}
  }

  /** Opens an existing desk; a missing local branch is created from `<remote>/tix` when there is one. */
  static async open(io: DeskIO): Promise<Desk> {
    const desk = Desk.locate(io)
    if (desk.tip() === null && !(await desk.adoptRemoteBranch())) {
      throw new TixError(`This repository has no desk yet (no "${desk.branch}" branch).`, {
        hint: 'Run `tix init` to make one here, or `tix sync` if a remote already has it.',
        code: 'no-desk',
      })
    }
    // Another branch named by TIX_BRANCH must already be a desk: never write tickets onto code.
    if (desk.branch !== 'tix' && desk.tip() !== null && (await desk.readFile('desk.json')) === null) {
      throw new TixError(`The branch "${desk.branch}" exists but is not a desk (it has no desk.json).`, {
        exitCode: 2,
        code: 'usage',
        hint: 'Unset TIX_BRANCH to use the "tix" branch, or name a new branch and run `tix init`.',
      })
    }
    return desk
  }
}

/** Why git would refuse `name` as a branch (the rules of git check-ref-format), or null. */
export function branchNameProblem(name: string): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(name)) return 'use letters, digits, ".", "_", "-" and "/", starting with a letter or digit'
  if (name === 'HEAD') return '"HEAD" is not a branch'
  if (name.includes('..') || name.includes('//')) return 'it contains ".." or "//"'
  if (name.endsWith('/') || name.endsWith('.')) return 'it ends with "/" or "."'
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'a part starts with "."'
    if (part.endsWith('.lock')) return 'a part ends with ".lock"'
  }
  return null
}

/** The work tree that has `branch` checked out (the main one or a linked one), or null. */
function checkedOutIn(repo: Repo, branch: string): string | null {
  const want = `ref: refs/heads/${branch}`
  const headOf = (gitDir: string) => {
    try {
      return readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()
    } catch {
      return ''
    }
  }
  if (headOf(repo.commonDir) === want && !isBare(repo.commonDir)) return 'the main work tree'
  let linked: string[]
  try {
    linked = readdirSync(join(repo.commonDir, 'worktrees'))
  } catch {
    return null
  }
  for (const name of linked) {
    const dir = join(repo.commonDir, 'worktrees', name)
    if (headOf(dir) !== want) continue
    try {
      return `the work tree ${dirname(readFileSync(join(dir, 'gitdir'), 'utf8').trim())}`
    } catch {
      return `the work tree "${name}"`
    }
  }
  return null
}

function isBare(commonDir: string): boolean {
  try {
    return /^\s*bare\s*=\s*true\s*$/im.test(readFileSync(join(commonDir, 'config'), 'utf8'))
  } catch {
    return false
  }
}

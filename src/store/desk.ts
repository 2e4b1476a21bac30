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
import {TixError} from '../errors.js'
import {DeskDocuments} from './desk/documents.js'
import type {DeskIO} from './desk/core.js'
import {findRepo, requireRepo} from './repo.js'

export type {DeskIO} from './desk/core.js'
export type {DeskIndex} from './desk/indexing.js'
export type {DeskFileEntry} from './desk/documents.js'
export {foldFile, searchText, ticketPath, type LoadedTicket} from './desk/ticket-file.js'

export class Desk extends DeskDocuments {
  static branchName(env: NodeJS.ProcessEnv): string {
    const b = env.TIX_BRANCH?.trim() || 'tix'
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(b) || b.includes('..')) throw new TixError(`TIX_BRANCH "${b}" is not a usable branch name.`)
    return b
  }

  static locate(io: DeskIO): Desk {
    const start = io.repoPath ?? io.env.TIX_REPO ?? io.cwd
    return new Desk(requireRepo(start), Desk.branchName(io.env), io)
  }

  static find(io: DeskIO): Desk | null {
    const repo = findRepo(io.repoPath ?? io.env.TIX_REPO ?? io.cwd)
    return repo ? new Desk(repo, Desk.branchName(io.env), io) : null
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
    return desk
  }
}

// Loading ESM-only packages from the bundled (CommonJS) CLI: only the launcher, an ES module, can
// `import()` them, so it hands us its importer. Outside the bundle (tests) plain import() works.
let importer: (specifier: string) => Promise<unknown> = (s) => import(s)

export function setImporter(fn: (specifier: string) => Promise<unknown>): void {
  importer = fn
}

export const importModule = <T>(specifier: string): Promise<T> => importer(specifier) as Promise<T>

// V8's code cache of this run (bin/run.js): the launcher writes it at exit, except for the TUI,
// which asks for it once its first frame is drawn (the functions a start compiles are all there
// then; a long session would have dropped some by its exit). Without a launcher, nothing to write.
let codeCacheSaver: () => void = () => {}

export function setCodeCacheSaver(fn: () => void): void {
  codeCacheSaver = fn
}

export const saveCodeCache = (): void => codeCacheSaver()

/**
 * Loads a CommonJS package synchronously, for code that must stay synchronous (desk.json is
 * validated, and its rule patterns compiled, inside synchronous code). `require` is the bundle's
 * own (bin/run.js gives dist/cli.cjs one; vitest has one), so
 * the package is read from node_modules only when this is first called, never at start.
 */
export function requireModule<T>(specifier: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(specifier) as T
}

// Other CommonJS files of dist/ (the English and Russian snowball stemmers, cut out of their
// package by scripts/stemmers.mjs), which the launcher loads through V8's code cache. Without a
// launcher (tests) there is none, and callers use the package instead.
let distLoader: ((name: string) => unknown) | null = null

export function setDistLoader(fn: (name: string) => unknown): void {
  distLoader = fn
}

/** dist/<name>.cjs's exports, or null when not run from the built CLI. */
export function loadDist<T>(name: string): T | null {
  return distLoader ? (distLoader(name) as T) : null
}

// What the binary's stdout holds (src/output/coalesce.ts), written out before a child process
// takes the terminal (the pager, an editor). Without a launcher nothing is held.
let outputFlusher: () => void = () => {}

export function setOutputFlusher(fn: () => void): void {
  outputFlusher = fn
}

export const flushOutput = (): void => outputFlusher()

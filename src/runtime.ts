// Loading ESM-only packages from the bundled (CommonJS) CLI: only the launcher, an ES module, can
// `import()` them, so it hands us its importer. Outside the bundle (tests) plain import() works.
let importer: (specifier: string) => Promise<unknown> = (s) => import(s)

export function setImporter(fn: (specifier: string) => Promise<unknown>): void {
  importer = fn
}

export const importModule = <T>(specifier: string): Promise<T> => importer(specifier) as Promise<T>

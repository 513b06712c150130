/**
 * `import()` of an ESM-only package (@xenova/transformers). The CLI's launcher runs its bundle as a
 * vm.Script (to use V8's compile cache), where the bundle's own `import()` has no module loader; the
 * launcher, a module Node loaded itself, leaves one here. Elsewhere (server, workers) it is plain import().
 */
export const ESM_IMPORTER = Symbol.for('sourceline.importEsm');

export async function importEsm(specifier: string): Promise<unknown> {
  const provided: unknown = Reflect.get(globalThis, ESM_IMPORTER);
  if (typeof provided === 'function') {
    const imported: unknown = await Reflect.apply(provided, undefined, [specifier]);
    return imported;
  }
  const imported: unknown = await import(specifier);
  return imported;
}

/**
 * A defined name's key in the definitions table: 47 bits of two 32-bit FNV-1a hashes of its lower
 * case (names are looked up case-insensitively). The table is looked up by this number, then by the
 * name itself, so keys that collide only cost a row read. 47 bits is the widest SQLite stores in 6
 * bytes. An index over the names' text cost 120 MiB at 3.4M definitions, this one about 50.
 */
export function nameKey(name: string): number {
  const lower = name.toLowerCase();
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 15 + ((b >>> 0) >>> 17);
}

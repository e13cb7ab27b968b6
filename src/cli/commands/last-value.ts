/** A flag given twice keeps its last value (as most tools do), not an array: yargs `coerce` for single-valued flags. */
export const last = <T>(v: T | T[]): T => (Array.isArray(v) ? v[v.length - 1]! : v);

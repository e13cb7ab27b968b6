/**
 * Permission modes written as numbers. In JavaScript `755` is the decimal number 755 (= 0o1363:
 * sticky, group and world writable), not `rwxr-xr-x`; mkpkg refuses such numbers instead of
 * guessing. A number whose decimal digits could be octal digits (all 0–7) and that is 8 or more is
 * ambiguous and rejected, telling both readings; write `0o755` or the string `"0755"`.
 */

/** Why a numeric mode is refused, or undefined when it is fine. */
export function numericModeProblem(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) return 'is not a permission mode (0 to 0o7777)';
  if (n >= 8 && /^[0-7]+$/.test(String(n))) {
    return `is ambiguous: as a JavaScript number it is decimal ${n}, i.e. mode 0o${n.toString(8)}, not 0o${n}; write the mode you mean as an octal literal (0o${n}) or a string ("${String(n).padStart(4, '0')}")`;
  }
  return undefined;
}

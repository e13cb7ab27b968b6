/** The 96-byte RPM lead (rpmlead.c). rpm checks only the magic, major version 3 and signature type 5. */

/** rpmrc archnum per architecture; noarch packages carry the build host's (1 on x86_64). */
const ARCHNUM: Record<string, number> = {
  x86_64: 1, i386: 1, i586: 1, i686: 1, noarch: 1, aarch64: 19, armv7hl: 12, ppc64le: 16, ppc64: 16, s390x: 15, riscv64: 22,
};

export const LEAD_SIZE = 96;
export const LEAD_MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);

/** Encode the lead for a binary package; `nevr` is truncated to 65 bytes plus NUL. */
export function encodeLead(nevr: string, arch: string): Buffer {
  const b = Buffer.alloc(LEAD_SIZE);
  LEAD_MAGIC.copy(b, 0);
  b.writeUInt8(3, 4);
  b.writeUInt8(0, 5);
  b.writeUInt16BE(0, 6);
  b.writeUInt16BE(ARCHNUM[arch] ?? 0, 8);
  let name = Buffer.from(nevr, 'utf8');
  if (name.length > 65) name = name.subarray(0, 65);
  name.copy(b, 10);
  b.writeUInt16BE(1, 76);
  b.writeUInt16BE(5, 78);
  return b;
}

/** DistroSession: what the packager steps share across the formats of one build. */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DistroSession } from '../../src/distro/session.js';
import { ElfFormatError, readElfDynamic } from '../../src/plan/elf-dynamic.js';
import { synthElf, VARIANTS } from '../support/elf-synth.js';
import { scratch } from '../support/tmp.js';

describe('distro/session: ELF files parsed once per build', () => {
  it('the second format gets the first parse (the file is not read again), equal to a fresh read', () => {
    const file = join(scratch('distro-session-'), 'lib.so');
    writeFileSync(file, synthElf(VARIANTS[0]));
    const fresh = readElfDynamic(file);
    const session = new DistroSession();
    const first = session.elfDynamic(file);
    assert.deepEqual(first, fresh);
    rmSync(file);
    assert.equal(session.elfDynamic(file), first, 'read again from disk (the file is gone, a second read would throw ENOENT)');
  });

  it('a non-ELF file is undefined; a malformed one throws its ElfFormatError each time', () => {
    const dir = scratch('distro-session-');
    writeFileSync(join(dir, 'text'), 'not an ELF file\n'.repeat(10));
    const good = synthElf(VARIANTS[0]);
    writeFileSync(join(dir, 'bad'), good.subarray(0, 80));
    const session = new DistroSession();
    assert.equal(session.elfDynamic(join(dir, 'text')), undefined);
    assert.throws(() => readElfDynamic(join(dir, 'bad')), ElfFormatError, 'the fixture is malformed');
    assert.throws(() => session.elfDynamic(join(dir, 'bad')), ElfFormatError);
    assert.throws(() => session.elfDynamic(join(dir, 'bad')), ElfFormatError);
  });
});

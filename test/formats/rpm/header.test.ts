/** The pure header encoder's guards (the layout itself is judged by rpm in the other tests). */
import { strict as assert } from 'node:assert';
import { encodeHeader, int32, int64, str, strArray, int16, type Column } from '../../../src/formats/rpm/header.js';
import { parseHeader } from '../../../src/formats/rpm/reader.js';
import { TAG } from '../../../src/formats/rpm/tags.js';

describe('rpm header encoder', () => {
  it('rejects a known main-header tag given the wrong type (FILEMODES must be INT16)', () => {
    assert.throws(() => encodeHeader([int32(TAG.FILEMODES, [0o100644])], 'main'), /tag 1030: type 4 given, but rpm declares type 3/);
    assert.doesNotThrow(() => encodeHeader([int16(TAG.FILEMODES, [0o100644])], 'main'));
  });

  it('accepts STRING, STRING_ARRAY and I18NSTRING interchangeably for string tags', () => {
    assert.doesNotThrow(() => encodeHeader([strArray(TAG.NAME, ['x'])], 'main'));
  });

  it('rejects duplicate tags, region-range tags, values that do not fit, and NUL inside strings', () => {
    assert.throws(() => encodeHeader([str(TAG.NAME, 'a'), str(TAG.NAME, 'b')], 'main'), /duplicate/);
    assert.throws(() => encodeHeader([str(50, 'a')], 'main'), /reserved/);
    assert.throws(() => encodeHeader([int16(TAG.FILEMODES, [0x10000])], 'main'), /does not fit/);
    assert.throws(() => encodeHeader([str(TAG.NAME, 'a\0b')], 'main'), /NUL/);
  });

  it('the signature header holds at most 32 tags', () => {
    const many = Array.from({ length: 32 }, (_, i) => int32(1100 + i, [i]));
    assert.throws(() => encodeHeader(many, 'signature'), /32/);
  });

  it('sorts entries by tag and aligns INT32 data to 4 bytes', () => {
    const blob = encodeHeader([int32(TAG.SIZE, [7]), str(TAG.NAME, 'abc')], 'main');
    const il = blob.readUInt32BE(8);
    const tags = Array.from({ length: il }, (_, i) => blob.readUInt32BE(16 + i * 16));
    assert.deepEqual(tags, [63, TAG.NAME, TAG.SIZE]);
    assert.equal(blob.readInt32BE(16 + 2 * 16 + 8) % 4, 0);
    assert.deepEqual(parseHeader(blob).tags.get(TAG.SIZE), [7]);
  });

  it('a column made as it is read (not an array) encodes the same bytes as the array of its values, and its bad values are refused the same way', () => {
    const column = <T>(values: readonly T[]): Column<T> => ({ length: values.length, *[Symbol.iterator]() { yield* values; } });
    const names = ['a', 'bé', '', 'd/e'];
    const sizes = [0, 1, 2 ** 31 - 1, 7];
    const big = [0, 2 ** 40, 5n];
    const asArrays = encodeHeader([strArray(TAG.BASENAMES, names), int32(TAG.FILESIZES, sizes), int64(TAG.LONGFILESIZES, big), int16(TAG.FILEMODES, [0o100644, 0o40755])], 'main');
    const asColumns = encodeHeader([strArray(TAG.BASENAMES, column(names)), int32(TAG.FILESIZES, column(sizes)), int64(TAG.LONGFILESIZES, column(big)), int16(TAG.FILEMODES, Int16Array.from([0o100644, 0o40755]))], 'main');
    assert.deepEqual(asColumns, asArrays);
    assert.deepEqual(parseHeader(asColumns).tags.get(TAG.BASENAMES), names);
    assert.throws(() => encodeHeader([strArray(TAG.BASENAMES, column(['ok', 'a\0b']))], 'main'), /NUL/);
    assert.throws(() => encodeHeader([int16(TAG.FILEMODES, column([0x10000]))], 'main'), /does not fit/);
    let reads = 0;
    const unstable: Column<string> = { length: 1, *[Symbol.iterator]() { yield (reads++ === 0 ? 'short' : 'longer'); } };
    assert.throws(() => encodeHeader([strArray(TAG.BASENAMES, unstable)], 'main'), /tag 1117: its values changed between the two reads/);
  });
});

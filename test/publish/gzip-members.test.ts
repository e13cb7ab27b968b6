/** Reading a gzip file as its members: ranges, open content and checks, against files the real gzip wrote. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipMember, readGzipMembers } from '../../src/publish/gzip-members.js';
import { run } from '../pipeline/support.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

describe('publish: gzip files as members', () => {
  before(function () { requireTools(this, 'gzip'); });

  it('splits members gzip wrote (with a file name in the header) and ours, with the byte ranges of each and the open content gzip -dc gives', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.txt'), 'first part\n'.repeat(1000));
    run('gzip', ['-k', '-9', join(dir, 'a.txt')]);
    const parts = [readFileSync(join(dir, 'a.txt.gz')), gzipMember('second\n'), gzipMember(''), gzipMember('ü'.repeat(5000))];
    const file = join(dir, 'all.gz');
    writeFileSync(file, Buffer.concat(parts));
    const { open, members } = readGzipMembers(readFileSync(file));
    assert.equal(open.toString(), run('gzip', ['-dc', file]));
    assert.equal(members.length, 4);
    let at = 0;
    for (const [i, m] of members.entries()) {
      assert.deepEqual([m.start, m.end], [at, at + parts[i]!.length]);
      at = m.end;
    }
    assert.equal(open.subarray(members[3]!.openStart, members[3]!.openEnd).toString(), 'ü'.repeat(5000));
  });

  it('ignores zero padding after the last member (the last member then ends before the file does), as gzip -d does', () => {
    const gz = Buffer.concat([gzipMember('a\n'), Buffer.alloc(16)]);
    const { open, members } = readGzipMembers(gz);
    assert.equal(open.toString(), 'a\n');
    assert.ok(members.at(-1)!.end < gz.length);
  });

  it('refuses a member whose CRC does not match, a truncated file, and content above the bound', () => {
    const good = gzipMember('some text\n');
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 8] ^= 0xff;
    assert.throws(() => readGzipMembers(badCrc), /fails its check/);
    assert.throws(() => readGzipMembers(good.subarray(0, good.length - 3)), /truncated|unexpected end/i);
    assert.throws(() => readGzipMembers(gzipMember('x'.repeat(10_000)), 1000), /larger than|maxOutputLength|Cannot create/i);
  });
});

/** A pass-through stream that fails once more than a given number of bytes went through it. */
import { Transform } from 'node:stream';

/** Pass bytes on unchanged; fail with `tooMuch()` as soon as more than `max` bytes arrived. */
export function byteLimit(max: number, tooMuch: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(tooMuch());
      else cb(null, chunk);
    },
  });
}

/**
 * Package uploads: a private temporary directory on the host (`mktemp -d`, mode 0700), the files
 * copied into it over SFTP, and the directory removed afterwards, whatever happened. A failed
 * upload on a full file system is told apart from other SFTP failures with `df`.
 */
import { MkpkgError } from '../../errors.js';
import { outputTail, remoteFailure, scriptArgv, type RemoteHost } from './remote.js';

/** A local file to upload. */
export interface UploadFile {
  path: string;
  /** The name it gets on the host. */
  file: string;
  size: number;
}

const MKTEMP = 'umask 077 && mktemp -d "${TMPDIR:-/tmp}/mkpkg-deploy.XXXXXXXX"';

/** Available bytes in the file system holding `dir` (from `df -Pk`), or undefined when df cannot tell. */
async function availableBytes(remote: RemoteHost, dir: string): Promise<number | undefined> {
  const r = await remote.run(['df', '-Pk', '--', dir]);
  const fields = r.stdout.trim().split('\n')[1]?.trim().split(/\s+/);
  const kb = Number(fields?.[3]);
  return r.code === 0 && Number.isFinite(kb) ? kb * 1024 : undefined;
}

async function uploadOne(remote: RemoteHost, dir: string, f: UploadFile): Promise<string> {
  const dest = `${dir}/${f.file}`;
  try {
    await remote.session.upload(f.path, dest);
  } catch (e) {
    const why = (e as Error).message;
    const free = await availableBytes(remote, dir).catch(() => undefined);
    if (free !== undefined && free < f.size) {
      throw new MkpkgError('E_DEPLOY_DISK_FULL', `${remote.label}: no room for ${f.file} (${f.size} bytes) in ${dir}: ${free} bytes free (SFTP: ${why})`, {
        hint: 'free space on the host (or point TMPDIR of the deploy user at a larger file system) and deploy again; the partial upload was removed',
        details: { host: remote.label, file: f.file, size: f.size, free, dir },
      });
    }
    throw new MkpkgError('E_DEPLOY_UPLOAD', `${remote.label}: uploading ${f.file} to ${dest} failed: ${why}`, {
      hint: 'check that the SFTP subsystem is enabled in sshd_config (Subsystem sftp …) and the temp directory is writable', details: { host: remote.label, file: f.file }, cause: e,
    });
  }
  return dest;
}

/**
 * Upload `files` into a new private directory, run `use` with their remote paths, then remove the
 * directory (also when the upload or `use` failed). `onCleanupFailed` hears about a failed removal.
 */
export async function withUploads<T>(remote: RemoteHost, files: readonly UploadFile[], use: (paths: string[]) => Promise<T>, onCleanupFailed?: (dir: string, output: string) => void): Promise<T> {
  const made = await remote.run(scriptArgv(MKTEMP));
  const dir = made.stdout.trim();
  if (made.code !== 0 || !/^\/[^\n]*\/mkpkg-deploy\.[A-Za-z0-9]+$/.test(dir)) {
    throw remoteFailure(remote.label, 'creating a private temp directory (mktemp -d)', made, 'E_DEPLOY_REMOTE', 'the deploy user needs a writable $TMPDIR or /tmp on the host');
  }
  try {
    const paths: string[] = [];
    for (const f of files) paths.push(await uploadOne(remote, dir, f));
    return await use(paths);
  } finally {
    const rm = await remote.run(['rm', '-rf', '--', dir]).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message, timedOut: false }));
    if (rm.code !== 0) onCleanupFailed?.(dir, outputTail(rm));
  }
}

import { SkyfoldError, type ErrorCode } from '../../../../common/errors';

const codeByErrno: Record<string, ErrorCode> = {
  ENOENT: 'not_found',
  EEXIST: 'conflict',
  ENOTEMPTY: 'conflict',
  ENOSPC: 'quota_exceeded',
  EDQUOT: 'quota_exceeded',
  EISDIR: 'invalid_argument',
  ENOTDIR: 'invalid_argument',
  ENAMETOOLONG: 'invalid_argument',
  EINVAL: 'invalid_argument',
  EMFILE: 'transient',
  ENFILE: 'transient',
  EBUSY: 'transient',
  EAGAIN: 'transient',
  ESTALE: 'transient',
  ETIMEDOUT: 'transient',
  // O_NOFOLLOW on a symlink: Skyfold never follows links, so for it the item is not there.
  ELOOP: 'not_found',
};

const reasonByErrno: Record<string, string> = {
  ENOENT: 'not found',
  EEXIST: 'already exists',
  ENOTEMPTY: 'already exists',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EISDIR: 'is a folder',
  ENOTDIR: 'is not a folder',
  ENAMETOOLONG: 'the name is too long',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ELOOP: 'is a symbolic link',
  EXDEV: 'is on another disk',
  EIO: 'the disk reported an I/O error',
};

export function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Maps a Node fs error to a SkyfoldError; `what` names the item for the message. SkyfoldErrors pass through. */
export function fsError(error: unknown, what: string): SkyfoldError {
  if (error instanceof SkyfoldError) return error;
  const errno = errnoOf(error);
  const code: ErrorCode = (errno && codeByErrno[errno]) || 'permanent';
  const reason =
    (errno && reasonByErrno[errno]) ?? errno ?? (error instanceof Error ? error.message : String(error));
  return new SkyfoldError(code, `${what}: ${reason}`, { cause: error });
}

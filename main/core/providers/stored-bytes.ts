/**
 * The destination holds other bytes than were sent: its hash of the upload differs from the hash
 * of what was read (the provider checked after the write, or refused the commit because the
 * content hash sent with it did not match). The bad copy is already gone (removed, or the commit
 * refused). `transient`: another attempt usually works; the transfer engine counts it as a failed
 * verification (three fail the job, the source is kept).
 */
import { SkyfoldError } from '../../../common/errors';

export class StoredBytesMismatch extends SkyfoldError {
  constructor(message: string) {
    super('transient', message);
  }
}

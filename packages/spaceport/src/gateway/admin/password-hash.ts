/**
 * What the admin API shows for a basic-auth password: never the password, but a salted SHA-256 of it (Kong
 * shows a salted hash too), so `spaceport plan` can tell that a password was changed through the admin API.
 * The salt is the consumer's and the credential's usernames: the same password of two credentials hashes
 * differently. The lifecycle computes the same hash for the file's passwords.
 */
import { createHash } from 'node:crypto';

export function basicPasswordHash(consumer: string, username: string, password: string): string {
  return createHash('sha256').update(`spaceport basic-auth\0${consumer}\0${username}\0${password}`).digest('hex');
}

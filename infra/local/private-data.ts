import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What a file or folder in the data folder may be: its owner's alone. */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Keeps the runtime's data folder (`.daiban/dynamodb` or `DAIBAN_DATA_DIR`: the table with the password hashes, the
 * token-signing secret, DynamoDB Local's record) private to the user running the service: the folder is made (mode
 * 0700) if missing, and it and everything in it made the owner's alone (folders 0700, files 0600), so a folder made
 * by an older version is tightened at the next start. Files made later stay private through the process's umask
 * (`privateUmask`), which DynamoDB Local inherits when it writes its database file. Symbolic links are left alone.
 * Returns the paths it tightened, for the start to say so.
 *
 * @example for (const path of makeDataPrivate('.daiban/dynamodb')) console.log(`made ${path} private`);
 */
export function makeDataPrivate(dataDir: string): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const tightened: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? PRIVATE_DIR : PRIVATE_FILE;
    if ((stat.mode & 0o077) !== 0) {
      chmodSync(path, stat.mode & 0o777 & wanted);
      tightened.push(path);
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dataDir);
  return tightened;
}

/**
 * From now on, every file and folder this process and the processes it starts make is its owner's alone
 * (umask 077): DynamoDB Local's database file, written by the Java process, included. Main thread only.
 */
export function privateUmask(): void {
  process.umask(0o077);
}

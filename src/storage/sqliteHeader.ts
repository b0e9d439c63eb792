/** Every SQLite database file starts with these 16 bytes. */
const MAGIC = 'SQLite format 3\0';

export const SQLITE_HEADER_LENGTH = MAGIC.length;

export function hasSqliteHeader(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Whether a partial update sets anything (undefined means "leave as is").
 * Drizzle refuses an UPDATE with nothing to set, yet a PATCH that changes
 * nothing is a fine PATCH: it skips the write and answers with the current state.
 */
export function hasChanges(changes: Record<string, unknown>): boolean {
  return Object.values(changes).some((value) => value !== undefined);
}

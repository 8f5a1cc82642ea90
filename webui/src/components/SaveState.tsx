/* The outcome of a save under its form: an error the API did not tie to
 * one of the form's fields, or "Saved.". */
import { ApiError, errorMessage } from "../api/errors";

export function SaveState({ error, saved, fields = [] }: { error: unknown; saved: boolean; fields?: string[] }) {
  if (error) {
    if (error instanceof ApiError && error.field && fields.some((f) => error.field!.startsWith(f))) return null;
    return <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(error)}</p>;
  }
  return saved ? <span role="status" className="text-sm text-teal-700 dark:text-teal-400">Saved.</span> : null;
}

/* The API's message for a field or one of its items (`servers[2]`). */
export function fieldOrItemError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field && (error.field === field || error.field.startsWith(field + "["))
    ? error.message
    : undefined;
}

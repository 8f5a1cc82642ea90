/* Errors of the API as the UI handles them: status, the house code, the
 * message for people, and the input field at fault when there is one. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly retryAfter: string | null;

  constructor(status: number, code: string, message: string, field?: string, retryAfter: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  /* 412: the object changed since it was read (If-Match). */
  get isConflict(): boolean {
    return this.status === 412 || this.code === "precondition_failed";
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/* The message for one field, when the error names it. */
export function fieldError(e: unknown, field: string): string | undefined {
  return e instanceof ApiError && e.field === field ? e.message : undefined;
}

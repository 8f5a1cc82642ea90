/* Fails the test file's tests that log to console.error (React's
 * warnings, a failed render): call once at the top of a describe's file. */
import { afterEach, beforeEach, expect, vi } from "vitest";

export function failOnConsoleErrors() {
  let consoleError: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    consoleError = vi.spyOn(console, "error");
  });
  afterEach(() => {
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });
}

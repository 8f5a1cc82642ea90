/* The API's rules for cell accounts (src/model/account.c), checked in the
 * form so it says what is wrong before anything is sent. The API stays
 * the judge: its answer is shown next to the field it names. Each check
 * returns an error message, or undefined when the value is fine. */

export const NAME_MAX = 32;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024; /* bytes */
export const DISPLAY_NAME_MAX = 128; /* bytes of UTF-8 */
export const ALIASES_MAX = 32;
export const QUOTA_MB_MAX = 1048576;
export const QUOTA_MB_DEFAULT = 1024;

/* Role addresses of mail systems and the host: no account may take them
 * (an alias may). Exactly account.c's `reserved`. */
export const RESERVED_NAMES: readonly string[] = [
  "abuse", "admin", "administrator", "hostmaster", "mailer-daemon", "noc", "nobody",
  "postmaster", "root", "security", "webmaster",
];

/* One lower-case DNS label starting with a letter (names and aliases alike). */
function label(v: string, what: string): string | undefined {
  if (v.length === 0) return "Required";
  if (v.length > NAME_MAX) return `At most ${NAME_MAX} characters`;
  if (/[A-Z]/.test(v)) return `${what} must be in lower case`;
  if (!/^[a-z0-9-]+$/.test(v)) return "Only lower-case letters, digits and hyphens";
  if (!/^[a-z]/.test(v)) return `${what} must start with a letter`;
  if (v.endsWith("-")) return `${what} must not end with a hyphen`;
  return undefined;
}

export function accountName(v: string): string | undefined {
  const e = label(v, "The name");
  if (e) return e;
  if (RESERVED_NAMES.includes(v)) return `“${v}” is reserved (a role address of mail systems or the host)`;
  if (v === "orphans") return "“orphans” is reserved (/api/users/orphans lists deleted accounts’ data)";
  return undefined;
}

export function alias(v: string): string | undefined {
  return label(v, "An alias");
}

/* Aliases as typed: separated by commas, spaces or new lines. */
export function parseAliases(text: string): string[] {
  return text.split(/[\s,;]+/).filter((a) => a.length > 0);
}

export function formatAliases(list: readonly string[]): string {
  return list.join(", ");
}

/* The whole list, for the account `name` (empty while it is unknown). */
export function aliasList(list: readonly string[], name: string): string | undefined {
  if (list.length > ALIASES_MAX) return `At most ${ALIASES_MAX} aliases`;
  const seen = new Set<string>();
  for (const a of list) {
    const e = alias(a);
    if (e) return `${a}: ${e}`;
    if (name && a === name) return `${a} is the account's own name`;
    if (seen.has(a)) return `${a} is listed twice`;
    seen.add(a);
  }
  return undefined;
}

function utf8Bytes(v: string): number {
  return new TextEncoder().encode(v).length;
}

export function displayName(v: string): string | undefined {
  if (utf8Bytes(v) > DISPLAY_NAME_MAX) return `At most ${DISPLAY_NAME_MAX} bytes`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) return "No control characters";
  return undefined;
}

function asciiLower(v: string): string {
  return v.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/* An account's password: at least 10 characters (code points), not
 * containing the name, not one character repeated. The API also refuses
 * the most common passwords; it says so next to the field. */
export function accountPassword(v: string, name: string): string | undefined {
  if (v.length === 0) return "Required";
  if (utf8Bytes(v) > PASSWORD_MAX) return `At most ${PASSWORD_MAX} bytes`;
  if ([...v].length < PASSWORD_MIN) return `At least ${PASSWORD_MIN} characters`;
  /* As the API compares: ASCII letters without case, bytes otherwise. */
  if (name && asciiLower(v).includes(asciiLower(name))) return "Must not contain the user name";
  const chars = [...v];
  if (chars[0]! < "\u0080" && chars.every((c) => c === chars[0])) return "Not one character repeated";
  return undefined;
}

/* Mailbox size in MiB as typed; 0 is no limit. */
export function quota(v: string | number): string | undefined {
  const s = String(v).trim();
  if (!/^\d{1,7}$/.test(s)) return `A whole number of MiB, 0 to ${QUOTA_MB_MAX}`;
  return Number(s) <= QUOTA_MB_MAX ? undefined : `At most ${QUOTA_MB_MAX} MiB (1 TiB)`;
}

export function formatQuota(mb: number): string {
  if (mb === 0) return "no limit";
  if (mb >= 1024 && mb % 1024 === 0) return `${mb / 1024} GiB`;
  return `${mb} MiB`;
}

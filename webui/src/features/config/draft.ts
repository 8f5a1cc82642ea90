/* The identity being edited: the fields a user changed and not yet saved.
 * It lives above every page (DraftProvider in the layout), so the Apply
 * of the pending-changes banner sees edits made on the Settings page and
 * saves them first — they are never lost to an Apply. */
import type { Config, ConfigPatch } from "./api";

export const EDITABLE = ["cell_name", "domain", "ip_range", "vpn_subnet", "wireguard_port", "endpoint"] as const;
export type Editable = (typeof EDITABLE)[number];

export interface DraftForm {
  cell_name: string;
  domain: string;
  ip_range: string;
  vpn_subnet: string;
  wireguard_port: string;
  endpoint: string;
}

export interface Draft {
  edits: ConfigPatch; /* only the changed fields */
  valid: boolean;
}

/* What the form starts from: the saved values, with the requested (still
 * pending) network changes in place of the applied ones. */
export function formFromConfig(c: Config): DraftForm {
  const pending = (f: string) => c.pending.find((p) => p.field === f)?.value;
  return {
    cell_name: c.cell_name,
    domain: c.domain,
    ip_range: pending("ip_range") ?? c.ip_range,
    vpn_subnet: pending("vpn_subnet") ?? c.vpn_subnet,
    wireguard_port: String(c.wireguard_port),
    endpoint: c.endpoint ?? "",
  };
}

/* The fields of `form` that differ from the saved configuration. */
export function diffForm(c: Config, form: DraftForm): ConfigPatch {
  const base = formFromConfig(c);
  const patch: ConfigPatch = {};
  for (const k of EDITABLE) {
    if (form[k] === base[k]) continue;
    if (k === "wireguard_port") patch.wireguard_port = Number(form.wireguard_port);
    else if (k === "endpoint") patch.endpoint = form.endpoint === "" ? null : form.endpoint;
    else patch[k] = form[k];
  }
  return patch;
}

export function hasEdits(d: Draft | null): d is Draft {
  return d !== null && Object.keys(d.edits).length > 0;
}

export class DraftInvalidError extends Error {
  constructor() {
    super("Your unsaved settings have errors: fix them on the Settings page (or discard them) before applying.");
    this.name = "DraftInvalidError";
  }
}

export interface ApplySteps<A> {
  draft: Draft | null;
  etag: string | null;
  save: (patch: ConfigPatch, etag: string | null) => Promise<unknown>;
  clearDraft: () => void;
  apply: () => Promise<A>;
}

/* Apply: unsaved edits are saved first (with If-Match, so a conflict
 * stops here and nothing is applied); invalid edits stop it before
 * anything is sent. */
export async function saveThenApply<A>(s: ApplySteps<A>): Promise<A> {
  if (hasEdits(s.draft)) {
    if (!s.draft.valid) throw new DraftInvalidError();
    await s.save(s.draft.edits, s.etag);
    s.clearDraft();
  }
  return s.apply();
}

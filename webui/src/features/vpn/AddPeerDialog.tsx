/* Add a VPN peer; the flow ends in its QR code (the API's SVG) and the
 * .conf download, for the device to scan or import. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "../../api/client";
import { errorMessage, fieldError } from "../../api/errors";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { GRANTABLE, peerUrl, peersKey, type Peer, type PeerService } from "./api";

interface Form {
  name: string;
  services: PeerService[];
  tunnel: "split" | "full";
  expires: string; /* yyyy-mm-dd or "" */
}

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function expiresAt(date: string): number | null {
  if (!date) return null;
  const t = new Date(date + "T23:59:59").getTime();
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

export function PeerQr({ peer }: { peer: Peer }) {
  const name = peer.name ?? "";
  return (
    <div className="flex flex-col items-center gap-3">
      <img src={peerUrl(name, "qr.svg")} alt={`QR code of ${name}'s WireGuard configuration`} data-testid="peer-qr" className="size-72 max-w-full rounded bg-white p-2 sm:size-80" />
      <p className="text-center text-sm">Scan it with the WireGuard app (“+” → “Scan from QR code”), or import the file.</p>
      <a className="btn-primary" href={peerUrl(name, "config.conf")} download={`${name}.conf`}>
        Download {name}.conf
      </a>
    </div>
  );
}

export function AddPeerDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [created, setCreated] = useState<Peer | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<Form>({ mode: "onTouched", defaultValues: { name: "", services: ["webui"], tunnel: "split", expires: "" } });
  const add = useMutation({
    mutationFn: (f: Form) => {
      const exp = expiresAt(f.expires);
      return unwrap(api.POST("/api/peers", { body: { name: f.name.trim(), services: f.services, tunnel: f.tunnel, ...(exp !== null ? { expires_at: exp } : {}) } }));
    },
    onSuccess: (p) => {
      setCreated(p);
      void qc.invalidateQueries({ queryKey: peersKey });
    },
  });
  const close = () => {
    setCreated(null);
    add.reset();
    reset();
    onClose();
  };
  const err = (f: keyof Form) => formState.errors[f]?.message ?? fieldError(add.error, f);
  return (
    <Dialog open={open} title={created ? `${created.name ?? ""} is ready` : "Add a VPN peer"} onClose={close} wide={created !== null}>
      {created ? (
        <>
          <PeerQr peer={created} />
          <div className="flex justify-end"><button type="button" className="btn-secondary" onClick={close}>Done</button></div>
        </>
      ) : (
        <form className="flex flex-col gap-3" noValidate onSubmit={handleSubmit((f) => add.mutate(f))}>
          <Field label="Device name" error={err("name")} hint="Letters, digits, hyphens: e.g. alice-phone">
            <input className="input" maxLength={63} autoFocus {...register("name", { required: "Required", validate: (v) => LABEL_RE.test(v.trim()) || "Letters, digits and hyphens; no hyphen at either end" })} />
          </Field>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">May reach (DNS always)</legend>
            {GRANTABLE.map((s) => (
              <label key={s.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" value={s.id} {...register("services")} /> {s.label}
              </label>
            ))}
            {fieldError(add.error, "services") && <p role="alert" className="text-xs text-red-700">{fieldError(add.error, "services")}</p>}
          </fieldset>
          <Field label="Tunnel" error={err("tunnel")}>
            <select className="input" {...register("tunnel")}>
              <option value="split">Split: only the cell's networks through the VPN</option>
              <option value="full">Full: all traffic through the cell</option>
            </select>
          </Field>
          <Field label="Expires (optional)" error={err("expires") ?? fieldError(add.error, "expires_at")}>
            <input className="input" type="date" {...register("expires")} />
          </Field>
          {add.error && !["name", "services", "tunnel", "expires_at"].some((f) => fieldError(add.error, f)) && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(add.error)}</p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={close}>Cancel</button>
            <button type="submit" className="btn-primary" disabled={add.isPending}>{add.isPending ? "Creating…" : "Create peer"}</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/* Import a zone file: parsed here, sent as one batch (all or nothing). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api, unwrap } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import { Dialog } from "../../components/Dialog";
import { parseZoneFile } from "./zonefile";

export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const parsed = useMemo(() => parseZoneFile(text), [text]);
  const send = useMutation({
    mutationFn: () => unwrap(api.POST("/api/dns/records/batch", { body: { records: parsed.records } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["dns", "records"] });
      setText("");
      onClose();
    },
  });
  /* The API names the record at fault as records[i].field. */
  const badIndex = send.error instanceof ApiError ? /^records\[(\d+)\]/.exec(send.error.field ?? "")?.[1] : undefined;
  const bad = badIndex !== undefined ? parsed.records[Number(badIndex)] : undefined;
  return (
    <Dialog open={open} title="Import a zone file" onClose={onClose} wide>
      <div className="flex flex-col gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="font-medium">Zone file</span>
          <input
            type="file"
            accept=".zone,.txt,.db,text/plain"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setText(await f.text());
            }}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">…or paste it</span>
          <textarea className="input font-mono" rows={8} maxLength={4_000_000} value={text} onChange={(e) => setText(e.target.value)} placeholder={"www  3600 IN A 192.168.1.10\n@    IN MX 10 mail"} />
        </label>
        <p role="status">
          {parsed.records.length} record(s) to import
          {parsed.skipped.length > 0 && `; ${parsed.skipped.length} skipped (${[...new Set(parsed.skipped.map((s) => s.type))].join(", ")}: the cell publishes or does not serve them)`}
        </p>
        {parsed.errors.length > 0 && (
          <ul role="alert" className="max-h-32 overflow-auto text-red-700 dark:text-red-400">
            {parsed.errors.slice(0, 20).map((e) => <li key={e.line}>line {e.line}: {e.message}</li>)}
          </ul>
        )}
        {send.error && (
          <p role="alert" className="break-words text-red-700 dark:text-red-400">
            {bad ? `${bad.name} ${bad.type} ${bad.value}: ` : ""}
            {errorMessage(send.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose}>Cancel</button>
          <button type="button" className="btn-primary" disabled={parsed.records.length === 0 || parsed.errors.length > 0 || send.isPending} onClick={() => send.mutate()}>
            Import {parsed.records.length} record(s)
          </button>
        </div>
      </div>
    </Dialog>
  );
}

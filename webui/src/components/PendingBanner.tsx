/* Changes that wait for Apply (a new cell network or VPN subnet), shown on
 * every page, with Apply and its live progress. */
import { Link } from "react-router";
import { ApiError, errorMessage } from "../api/errors";
import { useConfig } from "../features/config/api";
import { useDraft } from "../features/config/DraftContext";
import { hasEdits } from "../features/config/draft";
import { useApply } from "../features/config/useApply";
import { describeEvent } from "../features/events/EventsContext";

export function PendingBanner() {
  const config = useConfig();
  const { draft } = useDraft();
  const apply = useApply();
  const pending = config.data?.config.pending ?? [];
  const unsaved = hasEdits(draft);
  const show = pending.length > 0 || unsaved || apply.isPending || apply.isError || apply.isSuccess;
  if (!show) return null;

  const result = apply.data?.result;
  return (
    <section aria-label="Pending changes" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3">
        {pending.length > 0 || unsaved ? (
          <p className="min-w-0 flex-1">
            <strong>Pending:</strong>{" "}
            {pending.length === 0 && "nothing saved yet."}
            {pending.map((p) => (
              <span key={p.field} className="mr-2 inline-block">
                {p.field} {p.current ?? "—"} → <span className="font-mono">{p.value ?? "—"}</span>
              </span>
            ))}
            {unsaved && <span className="block text-xs">Unsaved edits on <Link className="underline" to="/settings">Settings</Link> are saved first.</span>}
          </p>
        ) : (
          <p className="min-w-0 flex-1">{apply.isPending ? "Applying…" : result?.ok === false ? "Apply failed." : "Nothing pending."}</p>
        )}
        {(pending.length > 0 || unsaved) && (
          <button type="button" className="btn-primary" disabled={apply.isPending} onClick={() => apply.mutate()}>
            {apply.isPending ? "Applying…" : "Apply"}
          </button>
        )}
        {!apply.isPending && (apply.isSuccess || apply.isError) && (
          <button type="button" className="btn-secondary" onClick={() => apply.reset()}>
            Dismiss
          </button>
        )}
      </div>
      {(apply.progress.length > 0 || apply.isError || result) && (
        <ol aria-label="Apply progress" aria-live="polite" className="mx-auto mt-1 flex max-w-6xl flex-col gap-0.5 text-xs">
          {apply.progress.map((e) => (
            <li key={e.seq}>{describeEvent(e)}</li>
          ))}
          {result && <li>{result.ok ? "Done." : `Failed: ${result.error ?? "see the services page"}`}</li>}
          {apply.isError && (
            <li role="alert" className="text-red-700 dark:text-red-300">
              {apply.error instanceof ApiError && apply.error.isConflict
                ? "The settings were changed elsewhere since this page loaded — reload them on the Settings page."
                : errorMessage(apply.error)}
            </li>
          )}
        </ol>
      )}
    </section>
  );
}

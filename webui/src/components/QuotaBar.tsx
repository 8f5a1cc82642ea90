/* How full a mailbox is: what its messages take of the account's quota,
 * as a bar and as words. The bar turns amber above 80 % and red above
 * 95 %, and the words say so too, so the colour is never the only sign. */
import { formatBytes } from "../lib/time";

const MiB = 1024 * 1024;

export type QuotaLevel = "ok" | "filling" | "almost-full" | "full";

export interface QuotaUse {
  label: string; /* "1.2 MiB of 1024 MiB", or "1.2 MiB used, no limit" */
  level: QuotaLevel;
  warning: string | null; /* what the colour says, in words */
  percent: number | null; /* of the quota, 0 to 100; null without one */
  max: number | null; /* the quota in bytes; null without one */
}

/* `usedBytes` of `quotaMb` MiB (0: no limit). */
export function quotaUse(usedBytes: number, quotaMb: number): QuotaUse {
  const used = formatBytes(usedBytes);
  if (quotaMb <= 0) return { label: `${used} used, no limit`, level: "ok", warning: null, percent: null, max: null };
  const max = quotaMb * MiB;
  const ratio = usedBytes / max;
  /* Dovecot may let a last message through past the limit: the bar stops at full. */
  const percent = Math.min(100, Math.max(0, ratio * 100));
  const level: QuotaLevel = ratio >= 1 ? "full" : ratio > 0.95 ? "almost-full" : ratio > 0.8 ? "filling" : "ok";
  const warning = level === "full" ? "full" : level === "almost-full" ? "almost full" : level === "filling" ? "over 80 % used" : null;
  return { label: `${used} of ${quotaMb} MiB`, level, warning, percent, max };
}

const TONE: Record<QuotaLevel, { bar: string; text: string }> = {
  ok: { bar: "bg-teal-600", text: "text-slate-600 dark:text-slate-300" },
  filling: { bar: "bg-amber-500", text: "text-amber-800 dark:text-amber-300" },
  "almost-full": { bar: "bg-red-600", text: "text-red-700 dark:text-red-400" },
  full: { bar: "bg-red-600", text: "text-red-700 dark:text-red-400" },
};

/* `label` names the mailbox for screen readers ("Mailbox of alice"). */
export function QuotaBar({ usedBytes, quotaMb, label }: { usedBytes: number; quotaMb: number; label: string }) {
  const q = quotaUse(usedBytes, quotaMb);
  const tone = TONE[q.level];
  const text = q.warning ? `${q.label} (${q.warning})` : q.label;
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid="quota" data-level={q.level}>
      {q.max !== null && q.percent !== null && (
        <div
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={q.max}
          aria-valuenow={Math.min(usedBytes, q.max)}
          aria-valuetext={text}
          className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
        >
          <div className={`h-full rounded-full ${tone.bar}`} style={{ width: `${q.percent}%` }} />
        </div>
      )}
      <span className={`text-xs ${tone.text}`} data-testid="quota-text">
        {q.label}
        {q.warning && <strong className="font-semibold">{` — ${q.warning}`}</strong>}
      </span>
    </div>
  );
}

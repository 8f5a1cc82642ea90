import { useState } from "react";

/* Copies `text`; says so for two seconds. `what`, read by screen readers
 * only, tells apart several copy buttons on one page ("Copy" + " TXT
 * example.org"). */
export function CopyButton({ text, label = "Copy", what }: { text: string; label?: string; what?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn-secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? "Copied" : label}
      {what && <span className="sr-only"> {what}</span>}
    </button>
  );
}

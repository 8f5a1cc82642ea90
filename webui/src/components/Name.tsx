/* A name, domain, endpoint or key that may be long: it is cut with an
 * ellipsis inside its box and shown whole on hover. */
export function Name({ value, className = "", mono = false }: { value: string | null | undefined; className?: string; mono?: boolean }) {
  const text = value ?? "—";
  return (
    <span className={`block min-w-0 truncate ${mono ? "font-mono text-xs" : ""} ${className}`} title={text}>
      {text}
    </span>
  );
}

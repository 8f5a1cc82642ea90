/* Previous/next over a list the API pages (offset, limit, total). */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }) {
  if (total <= limit && offset === 0) return null;
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center gap-2 text-sm">
      <button type="button" className="btn-secondary" disabled={offset === 0} onClick={() => onChange(0)}>First</button>
      <button type="button" className="btn-secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>Previous</button>
      <span>
        {total === 0 ? 0 : offset + 1}–{Math.min(offset + limit, total)} of {total}
      </span>
      <button type="button" className="btn-secondary" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>Next</button>
      <button type="button" className="btn-secondary" disabled={offset >= last} onClick={() => onChange(last)}>Last</button>
    </nav>
  );
}

import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { Draft } from "./draft";

interface DraftCtx {
  draft: Draft | null;
  setDraft: (d: Draft | null) => void;
}

const Ctx = createContext<DraftCtx | null>(null);

export function DraftProvider({ children }: { children: ReactNode }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const value = useMemo(() => ({ draft, setDraft }), [draft]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDraft(): DraftCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error("useDraft outside DraftProvider (it wraps the layout)");
  return c;
}

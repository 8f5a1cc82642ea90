import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useEvents, type CellEvent } from "../events/EventsContext";
import { configKey, postApply, putConfig, type ConfigDoc } from "./api";
import { useDraft } from "./DraftContext";
import { saveThenApply } from "./draft";

/* Apply with its progress: the events that arrived since it started. */
export function useApply() {
  const qc = useQueryClient();
  const { draft, setDraft } = useDraft();
  const { events } = useEvents();
  const startSeq = useRef<number | null>(null);

  const mutation = useMutation({
    mutationFn: () => {
      startSeq.current = events.length ? events[events.length - 1]!.seq : 0;
      const doc = qc.getQueryData<ConfigDoc>(configKey);
      return saveThenApply({
        draft,
        etag: doc?.etag ?? null,
        save: async (patch, etag) => {
          const saved = await putConfig(patch, etag);
          qc.setQueryData(configKey, saved);
        },
        clearDraft: () => setDraft(null),
        apply: postApply,
      });
    },
    onSettled: () => qc.invalidateQueries(),
  });
  const progress: CellEvent[] =
    startSeq.current === null ? [] : events.filter((e) => e.seq > startSeq.current! && e.type === "apply");
  return { ...mutation, progress };
}

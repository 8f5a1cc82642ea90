/* The cell's configuration document, with the ETag that a change must
 * send back (If-Match) so that it never overwrites a change made
 * elsewhere meanwhile. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Config = Schemas["Config"];
export type ConfigPatch = Schemas["ConfigPatch"];
export interface ConfigDoc {
  config: Config;
  etag: string | null;
}
export const configKey = ["config"] as const;

export async function fetchConfig(): Promise<ConfigDoc> {
  let etag: string | null = null;
  const config = await unwrap(
    api.GET("/api/config").then((r) => {
      etag = r.response.headers.get("ETag");
      return r;
    }),
  );
  return { config, etag };
}

export function useConfig() {
  return useQuery({ queryKey: configKey, queryFn: fetchConfig });
}

export async function putConfig(patch: ConfigPatch, etag: string | null): Promise<ConfigDoc> {
  let next: string | null = null;
  const config = await unwrap(
    api.PUT("/api/config", { body: patch, ...(etag ? { headers: { "If-Match": etag } } : {}) }).then((r) => {
      next = r.response.headers.get("ETag");
      return r;
    }),
  );
  return { config, etag: next };
}

export async function postApply() {
  return unwrap(api.POST("/api/config/apply"));
}

import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Cert = Schemas["Cert"];
export type ListedCert = Cert | Schemas["CertUnreadable"];
export const certsKey = ["vault", "certs"] as const;

/* A certificate the cell could read (an unreadable one has a serial only). */
export function readable(c: ListedCert): c is Cert {
  return c.status !== "unreadable";
}

export function useCerts() {
  return useQuery({ queryKey: certsKey, queryFn: async () => (await unwrap(api.GET("/api/vault/certs"))).certs });
}

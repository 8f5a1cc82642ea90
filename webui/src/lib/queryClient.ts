import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/errors";

/* Errors a retry cannot mend (4xx) are shown at once; the cell being
 * briefly unreachable (network, 5xx) is retried twice. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

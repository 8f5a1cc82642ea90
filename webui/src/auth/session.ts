/* The browser session: who is logged in (GET /api/auth/session), logging
 * in and out. The session query holds null when nobody is: a 401 is an
 * answer here, not an error. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, setCsrfToken, unwrap, type Schemas } from "../api/client";
import { ApiError } from "../api/errors";

export type Session = Schemas["Session"];
export const sessionKey = ["session"] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const s = await unwrap(api.GET("/api/auth/session"));
    setCsrfToken(s.csrf_token ?? null);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

/* The session ended (expired, logged out elsewhere): every cached answer
 * belongs to it and goes. */
export function endSession(qc: QueryClient): void {
  setCsrfToken(null);
  qc.cancelQueries();
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  qc.setQueryData(sessionKey, null);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => unwrap(api.POST("/api/auth/login", { body })),
    onSuccess: (s) => {
      setCsrfToken(s.csrf_token);
      qc.setQueryData<Session>(sessionKey, { username: s.username, auth: "session", csrf_token: s.csrf_token, expires_at: s.expires_at, role: s.role });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/logout")),
    onSettled: () => endSession(qc),
  });
}

/* Where to go after logging in: a path of this UI, never another site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

/* The pages behind the login. Without a session (never had one, or it
 * expired: any 401 ends it) the user goes to /login and comes back to the
 * page they were on. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { setUnauthorizedHandler } from "../api/client";
import { ErrorNote, Loading } from "../components/states";
import { endSession, useSession } from "./session";

export function RequireSession({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const session = useSession();
  const location = useLocation();

  useEffect(() => {
    setUnauthorizedHandler(() => endSession(qc));
    return () => setUnauthorizedHandler(null);
  }, [qc]);

  if (session.isPending) return <Loading />;
  if (session.error) return <div className="p-4"><ErrorNote error={session.error} onRetry={() => void session.refetch()} /></div>;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

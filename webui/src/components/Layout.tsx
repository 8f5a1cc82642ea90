/* The frame of every page after login: the menu (from pages/registry.ts),
 * the cell's name, the theme switch and logout. On narrow screens the
 * menu folds behind a button.
 *
 * The frame follows the session's role (auth/roles.ts): an admin gets
 * every admin page, the events stream and the pending-changes banner; a
 * cell account gets its own page only, and nothing that would ask an
 * admin route. A page the role may not see sends it to its home. */
import { useEffect, useState, type ReactNode } from "react";
import { Navigate, NavLink, Outlet, useLocation, useMatches, useNavigate } from "react-router";
import { useLogout, useSession } from "../auth/session";
import { redirectFor, roleOf } from "../auth/roles";
import { nextTheme, setTheme, storedTheme, type ThemeChoice } from "../lib/theme";
import { pages, pagesFor, type PageDef } from "../pages/registry";
import { PendingBanner } from "./PendingBanner";
import { DraftProvider } from "../features/config/DraftContext";
import { EventsProvider } from "../features/events/EventsContext";

const THEME_LABEL: Record<ThemeChoice, string> = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };

function usePageTitle() {
  const matches = useMatches();
  const last = matches[matches.length - 1];
  const title = (last?.handle as { title?: string } | undefined)?.title;
  useEffect(() => {
    document.title = title ? `${title} · PIC` : "PIC";
  }, [title]);
}

/* "nav-accounts", "nav-network-dns", "nav-dashboard": for browser tests. */
function navTestId(p: PageDef): string {
  return "nav-" + (p.path === "" ? "dashboard" : p.path.replaceAll("/", "-"));
}

function Frame({ menu, banner }: { menu: PageDef[]; banner?: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [theme, setThemeState] = useState<ThemeChoice>(storedTheme);
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  usePageTitle();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <aside className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center justify-between gap-2 p-3">
          <span className="text-lg font-semibold text-teal-700 dark:text-teal-400">PIC</span>
          <button type="button" className="btn-secondary md:hidden" aria-expanded={menuOpen} aria-controls="menu" onClick={() => setMenuOpen(!menuOpen)}>
            Menu
          </button>
        </div>
        <nav id="menu" aria-label="Main" className={`${menuOpen ? "block" : "hidden"} px-2 pb-3 md:block`}>
          <ul className="flex flex-col gap-0.5">
            {menu
              .filter((p) => p.menu !== false)
              .map((p) => (
                <li key={p.path}>
                  <NavLink
                    to={"/" + p.path}
                    end={p.path === ""}
                    data-testid={navTestId(p)}
                    className={({ isActive }) =>
                      `block rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-teal-50 font-medium text-teal-800 dark:bg-teal-950 dark:text-teal-200" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`
                    }
                  >
                    {p.title}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center justify-end gap-2 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
          <span className="min-w-0 truncate text-sm text-slate-500" title={session.data?.username} data-testid="session-user">
            {session.data?.username}
          </span>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              const t = nextTheme(theme);
              setTheme(t);
              setThemeState(t);
            }}
          >
            {THEME_LABEL[theme]}
          </button>
          <button type="button" className="btn-secondary" disabled={logout.isPending} onClick={() => logout.mutate(undefined, { onSettled: () => navigate("/login", { replace: true }) })}>
            Log out
          </button>
        </header>
        {banner}
        <main className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-4 p-4">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

export function Layout() {
  const session = useSession();
  const location = useLocation();
  const role = roleOf(session.data);
  const to = redirectFor(role, location.pathname, pages);
  if (to !== null) return <Navigate to={to} replace />;
  if (role === "user") return <Frame menu={pagesFor("user")} />;
  return (
    <EventsProvider>
      <DraftProvider>
        <Frame menu={pagesFor("admin")} banner={<PendingBanner />} />
      </DraftProvider>
    </EventsProvider>
  );
}

/* Routes: /login alone, every other page inside the session's layout
 * (pages/registry.ts). Pages load on first visit, so the first page after
 * login ships only what it uses. */
import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router";
import { Layout } from "./components/Layout";
import { makeQueryClient } from "./lib/queryClient";
import { RequireSession } from "./auth/RequireSession";
import { NotFound } from "./pages/NotFound";
import { Loading } from "./components/states";
import { pages } from "./pages/registry";

export function routes(): RouteObject[] {
  const children: RouteObject[] = pages.map((p) => ({
    ...(p.path === "" ? { index: true } : { path: p.path }),
    handle: { title: p.title },
    lazy: async () => ({ Component: (await p.load()).Page }),
  }));
  children.push({ path: "*", Component: NotFound, handle: { title: "Not found" } });
  return [
    {
      path: "/login",
      handle: { title: "Log in" },
      hydrateFallbackElement: <Loading />,
      lazy: async () => ({ Component: (await import("./auth/LoginPage")).LoginPage }),
    },
    {
      path: "/",
      /* Shown while the first page's module loads. */
      hydrateFallbackElement: <Loading />,
      element: (
        <RequireSession>
          <Layout />
        </RequireSession>
      ),
      children,
    },
  ];
}

export function App() {
  const [client] = useState(makeQueryClient);
  const [router] = useState(() => createBrowserRouter(routes()));
  return (
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}

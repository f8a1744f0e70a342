// A tiny hash router: the app has a handful of pages and no server, so the
// URL fragment is the whole route.
import { useEffect, useState } from "react";
import { mark } from "./perf";

// Every navigation is marked, so pages can measure how long they take to show.
window.addEventListener("hashchange", () => mark("navigation"));

export function currentRoute(): string {
  const hash = window.location.hash.replace(/^#/, "");
  return hash === "" ? "/" : hash;
}

/** The page a route shows: "/" is the API Portal. */
export function currentPage(): string {
  const route = currentRoute();
  return route === "/" ? "/api-portal" : route;
}

export function navigate(route: string) {
  if (currentRoute() !== route) window.location.hash = route;
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** The page shown now ("/" is the API Portal), updated on navigation. */
export function usePage(): string {
  const route = useRoute();
  return route === "/" ? "/api-portal" : route;
}

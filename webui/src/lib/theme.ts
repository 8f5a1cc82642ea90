/* Light, dark, or the system's choice (the default), remembered in
 * localStorage and applied as the `dark` class on <html>. */
export type ThemeChoice = "system" | "light" | "dark";

const KEY = "pic.theme";
const media = () => window.matchMedia("(prefers-color-scheme: dark)");

export function storedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === "light" || v === "dark" ? v : "system";
}

export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === "dark" || (choice === "system" && media().matches);
  document.documentElement.classList.toggle("dark", dark);
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  applyTheme(choice);
}

/* Keeps following the system while the choice is "system". */
export function followSystemTheme(): () => void {
  const m = media();
  const onChange = () => applyTheme(storedTheme());
  m.addEventListener("change", onChange);
  return () => m.removeEventListener("change", onChange);
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === "system" ? "light" : choice === "light" ? "dark" : "system";
}

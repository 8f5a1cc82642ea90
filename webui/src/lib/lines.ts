/* A list edited as text, one item per line. */
export function toLines(items: readonly string[] | undefined): string {
  return (items ?? []).join("\n");
}

export function fromLines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// Counts as the person reads them, the same in the sidebar and in the server's messages: "1,234 rows".

/** A count with thousands separators, as in "1,234". */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}

/** "1 row", "2 rows", "1,000 rows": a count with its noun in the right number. */
export function counted(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

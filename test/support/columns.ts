// The six columns a sync writes, spelled out once for the tests as the sheet contract names them (DESIGN's
// column table), not imported from src so that a renamed column fails the tests instead of passing with them.
export const OUTPUT_COLUMN_NAMES = [
  "Sync Result",
  "Run Status",
  "Synced At",
  "Sync Error",
  "Dashboard Link",
  "Sync State",
] as const;

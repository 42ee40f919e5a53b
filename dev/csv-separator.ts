// Which character separates the fields of a CSV file that `npm start` or the playground is given. Excel writes
// "CSV" with semicolons in the many languages where the comma is the decimal mark, and some exports use tabs;
// read with commas, such a file is one column and the add-on would only say it has no Run ID column. The header
// line names the columns, so it decides: the candidate that splits it into the most fields wins, a comma on a
// tie (as Sheets' File > Import, "Detect automatically", settles on one separator for the whole file).
import { parse } from "csv-parse/sync";

export type Separator = "," | ";" | "\t";

const CANDIDATES: readonly Separator[] = [",", ";", "\t"];

/** The separator in words, for messages: "commas", "semicolons" or "tabs". */
export const SEPARATOR_NAMES: Record<Separator, string> = { ",": "commas", ";": "semicolons", "\t": "tabs" };

/** How many fields the first record splits into with this separator; 0 when it is not valid CSV that way. */
function headerFields(text: string, separator: Separator): number {
  try {
    const [first = []] = parse(text, {
      delimiter: separator,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      relax_quotes: true,
      to: 1,
    }) as string[][];
    return first.length;
  } catch {
    // A quoted header cell followed by another separator ("Run ID";"Name" read with commas) is not valid CSV.
    return 0;
  }
}

/** The separator the file's header line is written with (a byte order mark before it is ignored). */
export function detectSeparator(text: string): Separator {
  const clean = text.replace(/^\uFEFF/, "");
  let best: Separator = ",";
  let most = headerFields(clean, ",");
  for (const candidate of CANDIDATES) {
    const fields = headerFields(clean, candidate);
    if (fields > most) {
      best = candidate;
      most = fields;
    }
  }
  return best;
}

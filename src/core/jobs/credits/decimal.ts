// Exact sums of credits. Extend's credits can be fractional, and adding binary floating-point numbers drifts
// (0.1 + 0.2 is 0.30000000000000004); finance staff compare these totals with invoices, so each number is taken
// as the decimal it prints as and summed as a scaled integer.

/** A decimal as digits and a scale: value = digits / 10^scale. */
interface Scaled {
  digits: bigint;
  scale: number;
}

/** The decimal a finite number prints as (its shortest round-trip text), exactly. */
function scaledOf(value: number): Scaled {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new Error(`not a finite number: ${text}`);
  const [, sign = "", whole = "0", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  let digits = BigInt(`${whole}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= BigInt(10) ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === "-" ? -digits : digits, scale };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.digits * BigInt(10) ** BigInt(scale - value.scale);
}

/**
 * Significant digits a spreadsheet number keeps: Sheets stores IEEE 754 doubles, "approximately 15 decimal
 * digits of precision" (sheets.wiki/docs/Number), and shows at most 15, as Excel does.
 */
export const MAX_CELL_DIGITS = 15;

/** Significant digits of a decimal as toString writes it: "-0.0012" has 2, "1200" has 2, "10.5" has 3. */
function significantDigits(text: string): number {
  const digits = text
    .replace(/[^0-9]/g, "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return digits === "" ? 1 : digits.length;
}

/** An exact running total of numbers. */
export class ExactSum {
  private total: Scaled = { digits: BigInt(0), scale: 0 };

  add(value: number): void {
    const next = scaledOf(value);
    const scale = Math.max(this.total.scale, next.scale);
    this.total = { digits: rescale(this.total, scale) + rescale(next, scale), scale };
  }

  /** The total as decimal text without trailing zeros, e.g. "0.3", "12", "-1.25". */
  toString(): string {
    const { digits, scale } = this.total;
    const negative = digits < BigInt(0);
    let text = (negative ? -digits : digits).toString();
    if (scale > 0) {
      text = text.padStart(scale + 1, "0");
      const fraction = text.slice(text.length - scale).replace(/0+$/, "");
      text = text.slice(0, text.length - scale) + (fraction === "" ? "" : `.${fraction}`);
    }
    return negative && text !== "0" ? `-${text}` : text;
  }

  /**
   * The total as a number when a spreadsheet cell holds it exactly: the number prints as exactly the total, in
   * at most 15 significant digits (what Sheets keeps and shows of a number). Otherwise the exact decimal text,
   * for the caller to write as text, so the cell never claims digits it does not hold.
   */
  toCellValue(): number | string {
    const text = this.toString();
    const asNumber = Number(text);
    return String(asNumber) === text && significantDigits(text) <= MAX_CELL_DIGITS ? asNumber : text;
  }
}

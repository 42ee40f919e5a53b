// Unit tests for src/core/jobs/credits/decimal.ts: sums of fractional credits without floating-point drift.
import { describe, expect, it } from "vitest";
import { ExactSum } from "../../../../src/core/jobs/credits/decimal";

function sum(values: number[]): ExactSum {
  const total = new ExactSum();
  for (const value of values) total.add(value);
  return total;
}

describe("ExactSum", () => {
  it.each<[number[], string]>([
    [[], "0"],
    [[0.1, 0.2], "0.3"],
    [[1, 2, 3], "6"],
    [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], "1"],
    [[1.5, -0.25], "1.25"],
    [[-1, 0.5], "-0.5"],
    [[1e-7, 2e-7], "0.0000003"],
    [[1e21, 1], "1000000000000000000001"],
    [[12.345, 0.005], "12.35"],
  ])("%j sums to %s", (values, expected) => {
    expect(sum(values).toString()).toBe(expected);
  });

  it("drifts where plain addition does", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum([0.1, 0.2]).toCellValue()).toBe(0.3);
  });

  it("gives text where no number prints as the exact total", () => {
    expect(sum([1e21, 1]).toCellValue()).toBe("1000000000000000000001");
    expect(sum([3, 4.5]).toCellValue()).toBe(7.5);
  });

  it("gives text where the total has more significant digits than a spreadsheet number keeps (15)", () => {
    expect(sum([7, 0.03333333333333333]).toCellValue()).toBe("7.03333333333333333");
    // 16 digits that a double prints exactly are still more than a cell shows and keeps.
    expect(sum([0.1234567890123456]).toCellValue()).toBe("0.1234567890123456");
    expect(sum([0.123456789012345]).toCellValue()).toBe(0.123456789012345);
    expect(sum([1200]).toCellValue()).toBe(1200);
    expect(sum([1e15, 1]).toCellValue()).toBe("1000000000000001");
  });

  it("sums 10,000 fractional credits exactly", () => {
    const values = Array.from({ length: 10_000 }, () => 0.01);
    expect(sum(values).toString()).toBe("100");
    expect(values.reduce((a, b) => a + b, 0)).not.toBe(100);
  });
});

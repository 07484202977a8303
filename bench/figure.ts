/**
 * The issues' figure format: one JSON object per line on stdout,
 * `{"figure", "value", "unit", "baseline", "ratio", "goal", "pass"}`, numbers to three decimals.
 * `baseline` and `ratio` are null for a figure with an absolute goal and no baseline.
 */
export function printFigure(
  name: string,
  value: number,
  unit: string,
  baseline: number | null,
  ratio: number | null,
  goal: string,
  pass: boolean,
): void {
  const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
  console.log(
    JSON.stringify({
      figure: name,
      value: round(value),
      unit,
      baseline: round(baseline),
      ratio: round(ratio),
      goal,
      pass,
    }),
  );
}

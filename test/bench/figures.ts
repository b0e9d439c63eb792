/** A bench figure, printed beside its target with PASS or MISS. */
export interface Figure {
  name: string;
  value: string;
  /** What the issue asks of it; absent for figures that only give context. */
  target?: string;
  pass?: boolean;
}

export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export function printFigures(figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((figure) => figure.name.length));
  for (const figure of figures) {
    const verdict = figure.pass === undefined ? '' : figure.pass ? '  PASS' : '  MISS';
    const target = figure.target ? `  (target ${figure.target})` : '';
    process.stdout.write(`${figure.name.padEnd(width)}  ${figure.value}${target}${verdict}\n`);
  }
}

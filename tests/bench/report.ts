// The benchmark's output: its figures by configuration, as a markdown table and one JSON line.

export type Figures = Record<string, number | string>

export const round2 = (n: number) => Math.round(n * 100) / 100

export interface Column {
  name: string
  figures: Figures
}

/**
 * Every configuration's figure names in one order: the first column's, and each name only
 * another column has placed after the name it follows there.
 */
function figureNames(columns: Column[]): string[] {
  const names: string[] = []
  for (const { figures } of columns) {
    let at = 0
    for (const name of Object.keys(figures)) {
      const known = names.indexOf(name)
      if (known >= 0) at = known + 1
      else names.splice(at++, 0, name)
    }
  }
  return names
}

/** One row per figure and one column per configuration, blank where it has no such figure. */
export function figureTable(columns: Column[]): string[] {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    row(['figure', ...columns.map((c) => c.name)]),
    row(['---', ...columns.map(() => '---')]),
    ...figureNames(columns).map((name) =>
      row([name, ...columns.map((c) => String(c.figures[name] ?? ''))]),
    ),
  ]
}

/** The figures with each name prefixed, for the JSON line (`pg1_submit_rps`). */
export function prefixed(prefix: string, figures: Figures): Figures {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix}${k}`, v]))
}

import { useId } from 'react'

export interface Bar {
  label: string
  value: number
  /** A second, lighter value drawn over the first (unique texts within all responses). */
  inner?: number
}

/**
 * A horizontal bar chart in SVG, named for assistive technology; the same
 * numbers are always in a table beside it, which is what screen readers use.
 * Presentation attributes only: the CSP allows no inline style.
 */
export function BarChart({ title, bars, max }: { title: string; bars: Bar[]; max?: number }) {
  const id = useId()
  const top = Math.max(1, max ?? Math.max(0, ...bars.map((b) => b.value)))
  const rowHeight = 26
  const labelWidth = 220
  const chartWidth = 360
  const height = bars.length * rowHeight + 8
  return (
    <svg
      className="bar-chart"
      role="img"
      aria-labelledby={`${id}-title`}
      viewBox={`0 0 ${labelWidth + chartWidth + 70} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      {bars.map((bar, i) => {
        const y = i * rowHeight + 4
        const width = (bar.value / top) * chartWidth
        const inner = bar.inner === undefined ? null : (bar.inner / top) * chartWidth
        return (
          <g key={bar.label} aria-hidden="true">
            <text x={labelWidth - 8} y={y + 16} textAnchor="end" fontSize="13" fill="#0b0c0c">
              {bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label}
            </text>
            <rect
              x={labelWidth}
              y={y + 3}
              width={Math.max(width, bar.value ? 2 : 0)}
              height={18}
              fill="#1d4f91"
            />
            {inner !== null ? (
              <rect
                x={labelWidth}
                y={y + 9}
                width={Math.max(inner, bar.inner ? 2 : 0)}
                height={6}
                fill="#ffdd00"
              />
            ) : null}
            <text x={labelWidth + width + 6} y={y + 16} fontSize="13" fill="#0b0c0c">
              {bar.value}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

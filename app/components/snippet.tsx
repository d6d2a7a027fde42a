/** A search extract whose matches (between \u0002 and \u0003) are shown in <mark>, everything else as text. */
export function Snippet({ text }: { text: string }) {
  // eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
  const parts = text.split(/(\u0002[^\u0003]*\u0003)/)
  return (
    <span className="snippet">
      {parts.map((part, i) =>
        part.startsWith('\u0002') ? (
          <mark key={i}>{part.slice(1, -1)}</mark>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </span>
  )
}

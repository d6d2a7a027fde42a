import { describe, expect, test } from 'vitest'
import { renderMarkdown } from '#app/utils/markdown.server.ts'

describe('renderMarkdown', () => {
  test('renders ordinary Markdown, tables included', () => {
    const html = renderMarkdown(
      '## Scope\n\n*Intrusion software* [see](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    )
    expect(html).toContain('<h2>Scope</h2>')
    expect(html).toContain('<em>Intrusion software</em>')
    expect(html).toContain('<a href="https://example.org">see</a>')
    expect(html).toContain('<table>')
  })

  test('escapes raw HTML so a script never runs', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(2)>')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<img/i)
    expect(html).toContain('&lt;script&gt;')
  })

  test('drops javascript: and data: link targets', () => {
    const html = renderMarkdown(
      '[a](javascript:alert(1)) [b](data:text/html,hi) [c](JaVaScRiPt:alert(1))',
    )
    expect(html).not.toMatch(/javascript:/i)
    expect(html).not.toMatch(/data:text/i)
  })
})

import { describe, expect, it } from 'vitest'
import { type ThemeDraftLabels, themeDraft } from '#app/analysis/theme-draft.ts'
import { type ThemeUnit, findThemes } from '#app/analysis/themes.ts'
import { MINORITY_THEMES, themeCorpus } from '#tests/helpers/theme-corpus.ts'

const labels: ThemeDraftLabels = {
  themesHeading: 'Themes',
  minorityHeading: 'Minority and dissenting views',
  said: (n, percent, phrases) => `About ${n} responses (${percent}) said: ${phrases}`,
  campaignsOnce: (units) => `${units} counting each campaign once`,
  positions: (counts) => counts.map(([p, n]) => `${p || 'none'} ${n}`).join(', '),
  smallTheme: (n, percent, phrases) => `A small theme, ${n} responses (${percent}): ${phrases}`,
  dissent: (phrases, n, positions) =>
    `Within "${phrases}", ${n} took another position: ${positions}`,
  source: (id, position) => `response ${id}${position ? `, ${position}` : ''}`,
  noMinority: 'No other view was found.',
}

describe('a suggested summary built from themes', () => {
  for (const language of ['en', 'fr'] as const) {
    it(`names the minority of ${language}, with its quotes, in its own section`, () => {
      const corpus = themeCorpus(language, 600, 11, 1)
      const units: ThemeUnit[] = corpus.map((r) => ({
        id: r.id,
        text: r.text,
        members: [{ id: r.id, position: r.position, group: r.group }],
      }))
      const result = findThemes(units)
      const draft = themeDraft(result, labels)
      const [themes, minority] = draft.split('## Minority and dissenting views')
      expect(minority).toBeDefined()
      // Every major theme with its size, every minority theme in the minority section.
      for (const theme of result.themes) {
        const line = theme.minority
          ? `A small theme, ${theme.responses} responses`
          : `About ${theme.responses} responses`
        expect(theme.minority ? minority : themes).toContain(line)
      }
      const minorityIds = new Set(
        corpus.filter((r) => r.theme === MINORITY_THEMES[language]).map((r) => r.id),
      )
      const quotedInMinority = [...minority!.matchAll(/\(response (\d+)/g)].map((m) => Number(m[1]))
      expect(quotedInMinority.some((id) => minorityIds.has(id))).toBe(true)
      // Those who opposed within the larger themes are quoted there too.
      expect(minority).toMatch(/took another position/)
      expect(minority).toMatch(/, oppose\)/)
      // The count says how many: "About N responses (X%)".
      expect(themes).toMatch(/About \d+ responses \(\d+%\) said: /)
    })
  }

  it('quotes respondents as text, never as Markdown', () => {
    const result = findThemes(
      Array.from({ length: 12 }, (_, i) => ({
        id: i + 1,
        text: `The *licence* rule must <b>cover</b> [cloud](x) hosting ${i % 3}. The *licence* rule is unclear.`,
        members: [{ id: i + 1, position: 'support', group: 'ngo' }],
      })),
    )
    const draft = themeDraft(result, labels)
    expect(draft).not.toMatch(/[^\\]\*licence/)
    expect(draft).not.toContain('<b>')
    expect(draft).toContain('No other view was found.')
  })

  it('is empty when nothing was themed', () => {
    expect(themeDraft(findThemes([]), labels)).toBe('')
  })
})

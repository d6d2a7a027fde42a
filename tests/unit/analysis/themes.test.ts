import { stemmer as englishStem } from '@orama/stemmers/english'
import { stemmer as frenchStem } from '@orama/stemmers/french'
import { stopwords as englishStop } from '@orama/stopwords/english'
import { stopwords as frenchStop } from '@orama/stopwords/french'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detectLanguage } from '#app/analysis/theme-text.ts'
import {
  KEEP_RESPONSES,
  type ThemeResult,
  type ThemeUnit,
  findThemes,
} from '#app/analysis/themes.ts'
import {
  adjustedMutualInformation,
  expectedMutualInformation,
  mutualInformation,
  purity,
} from '#tests/helpers/cluster-metrics.ts'
import { type LabelledResponse, MINORITY_THEMES, themeCorpus } from '#tests/helpers/theme-corpus.ts'

const asUnits = (responses: LabelledResponse[]): ThemeUnit[] =>
  responses.map((r) => ({
    id: r.id,
    text: r.text,
    members: [{ id: r.id, position: r.position, group: r.group }],
  }))

const english = themeCorpus('en', 1000, 7, 1)
const french = themeCorpus('fr', 400, 8, 100_000)
const corpus = [...english, ...french]
const result = findThemes(asUnits(corpus))
const themeOf = new Map<number, string>()
for (const theme of result.themes) for (const id of theme.memberIds) themeOf.set(id, theme.key)

/** The known groups and the found ones, for one language. */
function labelings(language: 'en' | 'fr') {
  const responses = corpus.filter((r) => r.language === language)
  return {
    truth: responses.map((r) => r.theme),
    found: responses.map((r) => themeOf.get(r.id) ?? 'none'),
  }
}

describe('the measures of agreement', () => {
  // scikit-learn's published values for these two labelings (its test_adjusted_mutual_info_score).
  const a = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3].map(String)
  const b = [1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2].map(String)

  it('give the reference values', () => {
    expect(mutualInformation(a, b)).toBeCloseTo(0.41022, 5)
    expect(expectedMutualInformation(a, b)).toBeCloseTo(0.15042, 5)
    expect(adjustedMutualInformation(a, b)).toBeCloseTo(0.27821, 5)
    expect(adjustedMutualInformation(['1', '1', '2', '2'], ['2', '2', '3', '3'])).toBeCloseTo(1)
    expect(adjustedMutualInformation(['0', '0', '0', '0'], ['0', '1', '2', '3'])).toBeCloseTo(0)
    expect(purity(['x', 'x', 'y', 'y'], ['1', '1', '1', '2'])).toBe(0.75)
  })
})

describe('themes on labelled corpora (English 1,000, French 400, each with a 5% minority)', () => {
  it.each(['en', 'fr'] as const)('match the known themes in %s (purity and AMI)', (language) => {
    const { truth, found } = labelings(language)
    const p = purity(truth, found)
    const ami = adjustedMutualInformation(truth, found)
    console.log(`themes, ${language}: purity ${p.toFixed(3)}, AMI ${ami.toFixed(3)}`)
    expect(p).toBeGreaterThanOrEqual(0.95)
    expect(ami).toBeGreaterThanOrEqual(0.9)
  })

  it.each(['en', 'fr'] as const)('keep the minority of %s as a theme of its own', (language) => {
    const minority = corpus.filter(
      (r) => r.language === language && r.theme === MINORITY_THEMES[language],
    )
    const keys = new Map<string, number>()
    for (const r of minority) {
      const key = themeOf.get(r.id) ?? 'none'
      keys.set(key, (keys.get(key) ?? 0) + 1)
    }
    const [key, held] = [...keys].sort((x, y) => y[1] - x[1])[0]!
    const theme = result.themes.find((t) => t.key === key)!
    // Most of the minority in one theme, and that theme mostly the minority.
    expect(held / minority.length).toBeGreaterThanOrEqual(0.9)
    expect(held / theme.responses).toBeGreaterThanOrEqual(0.85)
    expect(theme.minority).toBe(true)
    // Its holders mostly oppose, and its quotes say so.
    expect(theme.positions[0]![0]).toBe('oppose')
    expect(theme.quotes.some((q) => q.position === 'oppose')).toBe(true)
  })

  it('never mix two languages in a theme', () => {
    const languageOf = new Map(corpus.map((r) => [r.id, r.language]))
    for (const theme of result.themes) {
      const languages = new Set(theme.memberIds.map((id) => languageOf.get(id)))
      expect(languages).toEqual(new Set([theme.language]))
    }
    expect(result.languages).toEqual([
      ['en', 1000],
      ['fr', 400],
    ])
  })

  it('label each theme with distinct key phrases: no stop word, no two phrases inflections of one another', () => {
    const tools = {
      en: { stem: englishStem, stop: new Set(englishStop) },
      fr: { stem: frenchStem, stop: new Set(frenchStop) },
    }
    for (const theme of result.themes) {
      const { stem, stop } = tools[theme.language as 'en' | 'fr']
      expect(theme.phrases.length).toBeGreaterThanOrEqual(2)
      const stems = new Set<string>()
      for (const phrase of theme.phrases) {
        for (const word of phrase.split(' ')) {
          expect(stop.has(word.toLowerCase()), `${word} in ${theme.phrases.join(', ')}`).toBe(false)
          const s = stem(word.toLowerCase())
          expect(stems.has(s), `${word} twice in ${theme.phrases.join(', ')}`).toBe(false)
          stems.add(s)
        }
      }
    }
  })

  it('count sizes, shares and splits that add up', () => {
    let themed = 0
    const seen = new Set<number>()
    for (const theme of result.themes) {
      themed += theme.responses
      expect(theme.memberIds).toHaveLength(theme.responses)
      for (const id of theme.memberIds) {
        expect(seen.has(id)).toBe(false)
        seen.add(id)
      }
      expect(theme.share).toBeCloseTo(theme.responses / result.responses)
      expect(theme.positions.reduce((n, [, c]) => n + c, 0)).toBe(theme.responses)
      expect(theme.groups.reduce((n, [, c]) => n + c, 0)).toBe(theme.responses)
      expect(theme.responses).toBeGreaterThanOrEqual(KEEP_RESPONSES)
    }
    expect(themed + result.unthemed).toBe(corpus.length)
  })

  it('quote two or three members of each theme, and every position someone took somewhere', () => {
    const byId = new Map(corpus.map((r) => [r.id, r]))
    const quotedPositions = new Set<string | null>()
    for (const theme of result.themes) {
      expect(theme.quotes.length).toBeGreaterThanOrEqual(2)
      expect(theme.quotes.length).toBeLessThanOrEqual(3)
      for (const quote of theme.quotes) {
        expect(theme.memberIds).toContain(quote.responseId)
        const response = byId.get(quote.responseId)!
        // The quote is the respondent's own sentence, and their position.
        expect(response.text).toContain(quote.text)
        expect(quote.position).toBe(response.position)
        quotedPositions.add(quote.position)
      }
      expect(new Set(theme.quotes.map((q) => q.text.toLowerCase())).size).toBe(theme.quotes.length)
    }
    expect(quotedPositions).toEqual(new Set(corpus.map((r) => r.position)))
  })

  it('are the same for the same input', () => {
    const again = findThemes(asUnits(corpus))
    expect(JSON.stringify(again)).toBe(JSON.stringify(result))
  })
})

describe('themes', () => {
  it('make a small group unlike the rest a theme of its own, not the edge of a large one', () => {
    const small = [
      "Quantum computers will break the cryptography in today's licensing portal.",
      'Quantum sensing equipment deserves its own control list entry.',
      'Controls on quantum computing hardware should be coordinated with allies.',
      'Quantum computing research labs need guidance on cryogenic equipment.',
      'Quantum hardware vendors should be listed separately from spyware vendors.',
      'Cryogenic equipment for quantum computers is dual-use and should be listed.',
    ].map((text, i) => ({
      id: 5000 + i,
      text,
      members: [{ id: 5000 + i, position: 'oppose', group: 'academic' }],
    }))
    const found = findThemes([...asUnits(english), ...small])
    const holding = found.themes.filter((t) => t.memberIds.some((id) => id >= 5000))
    expect(holding).toHaveLength(1)
    expect(holding[0]!.memberIds.filter((id) => id >= 5000)).toHaveLength(6)
    expect(holding[0]!.responses).toBeLessThanOrEqual(8)
    expect(holding[0]!.phrases.join(' ')).toMatch(/quantum/i)
  })

  it('count a campaign once in "campaigns once" and each copy in "responses"', () => {
    const units = asUnits(english)
    const members = Array.from({ length: 300 }, (_, i) => ({
      id: 9000 + i,
      position: 'oppose',
      group: 'individual',
    }))
    units.push({ id: 9000, text: english.find((r) => r.theme === 'cloud services')!.text, members })
    const found = findThemes(units)
    const theme = found.themes.find((t) => t.memberIds.includes(9000))!
    const alone = findThemes(asUnits(english)).themes.find(
      (t) => t.phrases[0] === theme.phrases[0],
    )!
    expect(theme.responses).toBe(alone.responses + 300)
    expect(theme.units).toBe(alone.units + 1)
    expect(found.responses).toBe(1300)
    expect(found.units).toBe(1001)
    expect(theme.unitShare).toBeCloseTo(theme.units / 1001)
  })

  it('keep an accepted theme as it was: responses placed in it, none proposed beside it that says the same', () => {
    const accepted = result.themes.find((t) => t.language === 'en' && !t.minority)!
    const fixed = [{ id: 77, language: 'en' as const, centre: accepted.centre }]
    const again = findThemes(asUnits(english), { fixed })
    const kept = again.themes.filter((t) => t.fixedId === 77)
    expect(kept).toHaveLength(1)
    const before = new Set(accepted.memberIds)
    const after = new Set(kept[0]!.memberIds)
    const stayed = accepted.memberIds.filter((id) => after.has(id)).length
    expect(stayed).toBeGreaterThanOrEqual(0.95 * before.size)
    for (const theme of again.themes)
      if (theme.fixedId === null) expect(theme.phrases).not.toEqual(accepted.phrases)
    // Kept even when no response is near it now (a language with no text this run).
    const frenchOnly = findThemes(asUnits(french), { fixed })
    expect(frenchOnly.themes.find((t) => t.fixedId === 77)).toMatchObject({ responses: 0 })
  })

  it('split in exactly two groups when asked to', () => {
    const theme = result.themes.find((t) => t.language === 'en' && !t.minority)!
    const members = new Set(theme.memberIds)
    const units = asUnits(english.filter((r) => members.has(r.id)))
    const parts = findThemes(units, { groups: 2 })
    expect(parts.themes).toHaveLength(2)
    expect(parts.themes.reduce((n, t) => n + t.responses, 0) + parts.unthemed).toBe(units.length)
  })

  it('tell languages by their stop words or script', () => {
    expect(detectLanguage('The licence must be refused where there is a risk.')).toBe('en')
    expect(
      detectLanguage('Les licences doivent être refusées lorsque le risque est manifeste.'),
    ).toBe('fr')
    expect(detectLanguage('Die Genehmigung muss verweigert werden, wenn das Risiko besteht.')).toBe(
      'de',
    )
    expect(
      detectLanguage('La licencia debe ser denegada cuando existe un riesgo para los defensores.'),
    ).toBe('es')
    expect(
      detectLanguage('De vergunning moet worden geweigerd als er een risico is voor het land.'),
    ).toBe('nl')
    expect(detectLanguage('輸出管理の透明性を高めるべきです。')).toBe('ja')
    expect(detectLanguage('수출 통제는 인권을 보호해야 합니다.')).toBe('ko')
    expect(detectLanguage('يجب رفض الترخيص عند وجود خطر.')).toBe('ar')
    expect(detectLanguage('Spyware.', 'fr')).toBe('fr')
  })

  it('survive any text: nothing thrown, every response counted once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
          {
            maxLength: 40,
          },
        ),
        (texts) => {
          const units = texts.map((text, i) => ({
            id: i + 1,
            text,
            members: [{ id: i + 1, position: i % 2 ? 'oppose' : null, group: 'ngo' }],
          }))
          const found: ThemeResult = findThemes(units)
          const themed = found.themes.reduce((n, t) => n + t.responses, 0)
          expect(themed + found.unthemed).toBe(texts.length)
          expect(found.responses).toBe(texts.length)
        },
      ),
      { numRuns: 200 },
    )
  })
})

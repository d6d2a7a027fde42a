// A suggested summary built from themes (themes.ts): for each theme, how many said it and its
// key phrases, with its quotes and the responses they come from; then a section on minority and
// dissenting views, so the few who said something else are named in every draft: the small
// themes, and within each theme those who took a position other than most of its members.
// Always a draft in Markdown for an official to edit and approve; pure and deterministic.
import { escapeMarkdown } from './sentences.ts'
import type { StoredThemes, ThemeQuote, ThemeSummary } from './themes.ts'

export interface ThemeDraftLabels {
  /** "Themes" */
  themesHeading: string
  /** "Minority and dissenting views" */
  minorityHeading: string
  /** "About 320 responses (23%) said: research, testing" */
  said: (responses: number, percent: string, phrases: string) => string
  /** "290 counting each campaign once" */
  campaignsOnce: (units: number) => string
  /** "support with changes 193, support 71" */
  positions: (counts: [string, number][]) => string
  /** "A small theme: 50 responses (3.6%): encryption, open source" */
  smallTheme: (responses: number, percent: string, phrases: string) => string
  /** "Within "research, testing", 46 responses took another position: oppose 46" */
  dissent: (phrases: string, responses: number, positions: string) => string
  /** "(response 144, oppose)"; the draft adds the parentheses. */
  source: (responseId: number, position: string | null) => string
  /** "No other view was found." */
  noMinority: string
}

/** Share as a percentage with at most one decimal (under 10%) or none. */
export function sharePercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: share < 0.1 ? 1 : 0,
  }).format(share)
}

function quoteBlock(quote: ThemeQuote, labels: ThemeDraftLabels): string {
  return `> ${escapeMarkdown(quote.text)}\n\n(${labels.source(quote.responseId, quote.position)})`
}

/** The positions other than the commonest, when at least one response took them. */
function dissenters(theme: ThemeSummary): [string, number][] {
  return theme.positions.slice(1).filter(([position, n]) => position !== '' && n > 0)
}

export function themeDraft(
  result: Pick<StoredThemes, 'themes'>,
  labels: ThemeDraftLabels,
  locale = 'en',
): string {
  if (result.themes.length === 0) return ''
  const phrasesOf = (theme: ThemeSummary) => escapeMarkdown(theme.name ?? theme.phrases.join(', '))
  const blocks: string[] = [`## ${labels.themesHeading}`]
  const major = result.themes.filter((theme) => !theme.minority)
  const minor = result.themes.filter((theme) => theme.minority)
  for (const theme of major) {
    const details = [labels.campaignsOnce(theme.units), labels.positions(theme.positions)]
    blocks.push(
      `**${labels.said(theme.responses, sharePercent(theme.share, locale), phrasesOf(theme))}** (${details.join('; ')})`,
    )
    // The quotes of its commonest position here; the others go to the minority section.
    const commonest = theme.positions[0]?.[0] ?? ''
    const own = theme.quotes.filter((quote) => (quote.position ?? '') === commonest)
    for (const quote of own.length > 0 ? own : theme.quotes.slice(0, 1)) {
      blocks.push(quoteBlock(quote, labels))
    }
  }
  blocks.push(`## ${labels.minorityHeading}`)
  let named = 0
  for (const theme of minor) {
    named++
    blocks.push(
      `**${labels.smallTheme(theme.responses, sharePercent(theme.share, locale), phrasesOf(theme))}** (${labels.positions(theme.positions)})`,
    )
    for (const quote of theme.quotes) blocks.push(quoteBlock(quote, labels))
  }
  for (const theme of major) {
    const others = dissenters(theme)
    if (others.length === 0) continue
    named++
    const count = others.reduce((n, [, c]) => n + c, 0)
    blocks.push(`**${labels.dissent(phrasesOf(theme), count, labels.positions(others))}**`)
    const otherPositions = new Set(others.map(([position]) => position))
    const commonest = theme.positions[0]?.[0] ?? ''
    const own = theme.quotes.some((quote) => (quote.position ?? '') === commonest)
    theme.quotes.forEach((quote, i) => {
      // Not the quote already shown above for the theme.
      if (!own && i === 0) return
      if (quote.position !== null && otherPositions.has(quote.position)) {
        blocks.push(quoteBlock(quote, labels))
      }
    })
  }
  if (named === 0) blocks.push(labels.noMinority)
  return blocks.join('\n\n') + '\n'
}

// Themes: groups of responses that make related points, each with a label of key phrases, its
// size counted two ways, its split by position and stakeholder group, and quotes chosen so that
// the quotes of all themes together cover the range of views.
//
// Method (explainable, no model to download): per language, each response's terms (stemmed,
// stop words out: theme-text.ts) and two-word terms become a TF-IDF vector over the round's most
// used terms; ml-kmeans (k-means++, seeded) clusters a sample of them, the number of themes
// more groups than themes, then those that say the same merged; then every response is assigned to its nearest theme.
// A campaign (many copies of one text) is one vote in the clustering and in "campaigns once".
// Labels are the phrases most particular to a theme (class-based TF-IDF, as BERTopic labels
// topics), shown as respondents wrote them, a phrase never beside its own words.
//
// Fitting reads only the sample; assigning reads each response once and keeps only counts,
// member ids and a few candidate quotes, so a million responses stream through in one pass.
// Pure and deterministic: the same input in the same order gives the same themes.
import { kmeans } from 'ml-kmeans'
import { splitSentences } from './sentences.ts'
import { BREAK, TermReader, type ThemeLanguage, type Word, detectLanguage } from './theme-text.ts'

export interface ThemeMember {
  id: number
  position: string | null
  group: string
}

/** A text to theme: a response, or a campaign (its representative's text) with all its members. */
export interface ThemeUnit {
  /** The response quoted for it: the response itself, or the campaign's representative. */
  id: number
  text: string
  members: ThemeMember[]
}

/** A theme an official accepted: kept as it is, responses placed in it before new themes are sought. */
export interface FixedTheme {
  id: number
  language: ThemeLanguage
  centre: { terms: string[]; weights: number[] }
}

export interface ThemeOptions {
  /** At most this many themes per language. */
  maxThemes?: number
  /** Exactly this many groups, none merged or set aside (to split one theme in two). */
  groups?: number
  /** Accepted themes: each kept, even when small, and no new theme proposed that says the same. */
  fixed?: FixedTheme[]
  /** The language of texts whose own does not show (the round's). */
  fallbackLanguage?: ThemeLanguage
  seed?: number
}

export interface ThemeQuote {
  responseId: number
  text: string
  position: string | null
}

export interface Theme {
  /** `language-number`, stable for the same input. */
  key: string
  language: ThemeLanguage
  phrases: string[]
  /** Responses in the theme, each copy of a campaign counted. */
  responses: number
  /** The same with each campaign counted once. */
  units: number
  /** Of all responses themed in the run (any language), and of all units. */
  share: number
  unitShare: number
  positions: [string, number][]
  groups: [string, number][]
  quotes: ThemeQuote[]
  /** A small theme (under a tenth of its language's responses), named in a summary's minority section. */
  minority: boolean
  memberIds: number[]
  /** The accepted theme (ThemeOptions.fixed) this is, or null for a theme found now. */
  fixedId: number | null
  /** The theme's centre, to assign responses that arrive later. */
  centre: { terms: string[]; weights: number[] }
}

/** A theme as a job stores it and a page shows it: without its member list and centre. */
export type ThemeSummary = Omit<Theme, 'memberIds' | 'centre' | 'fixedId'> & {
  /** The name an official gave it, shown in place of its phrases. */
  name?: string | null
}

/** What a themes job stores (app/jobs/theme-jobs.server.ts). */
export type StoredThemes = Omit<ThemeResult, 'themes'> & { themes: ThemeSummary[] }

export interface ThemeResult {
  themes: Theme[]
  responses: number
  units: number
  /** Responses in no theme: no term the round shares, or too few like them. */
  unthemed: number
  languages: [ThemeLanguage, number][]
}

/** A theme at least this big (in responses) or this share is kept, never folded away. */
export const KEEP_RESPONSES = 5
export const KEEP_SHARE = 0.02
/** Under this share of the responses a theme counts as a minority view. */
export const MINORITY_SHARE = 0.1
const MAX_THEMES = 12
/** The units the clustering reads (every n-th of them beyond this). */
const SAMPLE = 2000
/** Terms a language's vectors have at most: the most used, bar those nearly everyone uses. */
const FEATURES = 400
const MAX_DF_SHARE = 0.6
/** Fewer units of a language than this are one theme. */
const MIN_CLUSTERED = 10
/** A unit further than this from every theme (cosine) is in none. */
const MIN_SIMILARITY = 0.05
const PHRASES = 4
/**
 * A two-word phrase's label score is multiplied by this: it is never more used than its words,
 * and "human rights" says more than "human" and "rights" apart.
 */
const PAIR_WEIGHT = 1.5
/** Two quotes closer than this (cosine) say the same thing: a campaign's copies, a template. */
const SAME_QUOTE = 0.5
const QUOTES = 3
const QUOTE_CANDIDATES = 6
const QUOTE_MAX_CHARS = 320

/** Splits the bigram key back to its two terms. */
const PAIR = '\u0001'

interface LanguageModel {
  language: ThemeLanguage
  reader: TermReader
  /** Feature index of each term and pair kept. */
  index: Map<string, number>
  /** The same for pairs, by first term then second: read without building the pair's key. */
  pairs: Map<string, Map<string, number>>
  features: string[]
  idf: Float64Array
  /** The most common way each feature was written. */
  written: string[]
  /** Unit-length centres, one per theme. */
  centres: Float64Array[]
  /** For each centre, the accepted theme it is (ThemeOptions.fixed), or null. */
  fixedIds: (number | null)[]
}

/** The terms and two-word terms of a list of words, each once, with their counts. */
function termCounts(
  words: (Word | null)[],
  joinWritten?: Map<string, Map<string, number>>,
  joiner = ' ',
) {
  const counts = new Map<string, number>()
  const see = (key: string, written: string) => {
    counts.set(key, (counts.get(key) ?? 0) + 1)
    if (joinWritten) {
      let forms = joinWritten.get(key)
      if (!forms) joinWritten.set(key, (forms = new Map()))
      forms.set(written, (forms.get(written) ?? 0) + 1)
    }
  }
  let previous: Word | null = null
  for (const word of words) {
    if (word === BREAK) {
      previous = null
      continue
    }
    see(word.term, word.written)
    if (previous && previous.term !== word.term) {
      see(previous.term + PAIR + word.term, previous.written + joiner + word.written)
    }
    previous = word
  }
  return counts
}

/**
 * How often each of a model's features is in a list of words, in the order they first appear:
 * termCounts kept to the features, without a key built for every pair of words (assigning a
 * million responses built a string for each of their pairs).
 */
function featureCounts(model: LanguageModel, words: (Word | null)[]): Map<number, number> {
  const counts = new Map<number, number>()
  let previous: Word | null = null
  for (const word of words) {
    if (word === BREAK) {
      previous = null
      continue
    }
    const f = model.index.get(word.term)
    if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1)
    if (previous && previous.term !== word.term) {
      const pair = model.pairs.get(previous.term)?.get(word.term)
      if (pair !== undefined) counts.set(pair, (counts.get(pair) ?? 0) + 1)
    }
    previous = word
  }
  return counts
}

/** The unit-length TF-IDF vector of a text over a model's features (sparse: index, weight). */
function vectorOf(model: LanguageModel, text: string): { at: number[]; weight: number[] } {
  const counts = featureCounts(model, model.reader.words(text))
  const at: number[] = []
  const weight: number[] = []
  let norm = 0
  for (const [f, count] of counts) {
    const w = (1 + Math.log(count)) * model.idf[f]!
    at.push(f)
    weight.push(w)
    norm += w * w
  }
  norm = Math.sqrt(norm)
  for (let i = 0; i < weight.length; i++) weight[i]! /= norm
  return { at, weight }
}

function mostCommon(forms: Map<string, number> | undefined, fallback: string): string {
  let best = fallback
  let count = -1
  for (const [form, n] of forms ?? []) {
    if (n > count || (n === count && form < best)) {
      best = form
      count = n
    }
  }
  return best
}

/** Centres closer than this (cosine) are one theme. */
export const SAME_THEME = 0.4

function unit(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0)) || 1
  return vector.map((v) => v / norm)
}

function cosine(a: number[], b: number[]): number {
  let dot = 0
  for (let j = 0; j < a.length; j++) dot += a[j]! * b[j]!
  return dot
}

/**
 * Merges the closest pair of groups (centres weighted by size) while they are closer than
 * SAME_THEME, or while there are more than `most`.
 */
function mergeSimilar(centroids: number[][], clusters: number[], most: number): number[][] {
  const sizes = centroids.map(() => 0)
  for (const c of clusters) sizes[c]!++
  let groups = centroids
    .map((centre, c) => ({ sum: centre.map((v) => v * sizes[c]!), size: sizes[c]! }))
    .filter((g) => g.size > 0)
  for (;;) {
    let best: [number, number] | null = null
    let bestSimilarity = -Infinity
    const units = groups.map((g) => unit(g.sum))
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        const similarity = cosine(units[a]!, units[b]!)
        if (similarity > bestSimilarity) {
          bestSimilarity = similarity
          best = [a, b]
        }
      }
    }
    if (best === null || (bestSimilarity < SAME_THEME && groups.length <= most)) break
    const [a, b] = best
    groups[a] = {
      sum: groups[a]!.sum.map((v, j) => v + groups[b]!.sum[j]!),
      size: groups[a]!.size + groups[b]!.size,
    }
    groups = groups.filter((_, i) => i !== b)
  }
  return groups.map((g) => g.sum)
}

/** Fits one language's features and centres on its sampled texts. */
function fitLanguage(language: ThemeLanguage, texts: string[], options: FitOptions): LanguageModel {
  const reader = new TermReader(language)
  const written = new Map<string, Map<string, number>>()
  const df = new Map<string, number>()
  const perText = texts.map((text) => {
    const counts = termCounts(reader.words(text), written, reader.joiner)
    for (const key of counts.keys()) df.set(key, (df.get(key) ?? 0) + 1)
    return counts
  })
  const n = texts.length
  const minDf = Math.max(2, Math.ceil(n * 0.005))
  const maxDf = n >= 20 ? Math.floor(n * MAX_DF_SHARE) : n
  const kept = [...df]
    .filter(([, d]) => d >= minDf && d <= maxDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, FEATURES)
  const features = kept.map(([key]) => key)
  const index = new Map(features.map((key, i) => [key, i]))
  const pairs = new Map<string, Map<string, number>>()
  features.forEach((key, f) => {
    const at = key.indexOf(PAIR)
    if (at < 0) return
    const first = key.slice(0, at)
    let seconds = pairs.get(first)
    if (!seconds) pairs.set(first, (seconds = new Map()))
    seconds.set(key.slice(at + 1), f)
  })
  const idf = Float64Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1)
  const model: LanguageModel = {
    language,
    reader,
    index,
    pairs,
    features,
    idf,
    written: features.map((key) => mostCommon(written.get(key), key)),
    centres: [],
    fixedIds: [],
  }
  const fixed = options.fixed
    .filter((theme) => theme.language === language)
    .map((theme) => {
      const centre = new Float64Array(features.length)
      theme.centre.terms.forEach((term, i) => {
        const f = index.get(term)
        if (f !== undefined) centre[f] = theme.centre.weights[i] ?? 0
      })
      const norm = Math.sqrt(centre.reduce((sum, v) => sum + v * v, 0)) || 1
      return { id: theme.id, centre: centre.map((v) => v / norm) }
    })
  const withFixed = (found: Float64Array[]) => {
    // A theme found now that says what an accepted one says is that theme.
    const fresh = found.filter((centre) =>
      fixed.every((f) => cosine([...centre], [...f.centre]) < SAME_THEME),
    )
    model.centres = [...fixed.map((f) => f.centre), ...fresh]
    model.fixedIds = [...fixed.map((f) => f.id), ...fresh.map(() => null)]
    return model
  }
  // Dense rows for ml-kmeans: the sample is small and its features few.
  const rows: number[][] = []
  for (const counts of perText) {
    const row = new Array<number>(features.length).fill(0)
    let norm = 0
    for (const [key, count] of counts) {
      const f = index.get(key)
      if (f === undefined) continue
      const w = (1 + Math.log(count)) * idf[f]!
      row[f] = w
      norm += w * w
    }
    if (norm === 0) continue
    norm = Math.sqrt(norm)
    for (let j = 0; j < row.length; j++) row[j]! /= norm
    rows.push(row)
  }
  if (rows.length === 0) return withFixed([])
  let centroids: number[][]
  if (options.groups !== null) {
    const fit = kmeans(rows, Math.max(1, Math.min(options.groups, rows.length - 1)), {
      seed: options.seed,
      initialization: 'kmeans++',
      maxIterations: 60,
    })
    centroids = fit.centroids
  } else if (rows.length < MIN_CLUSTERED) {
    centroids = [
      rows.reduce(
        (sum, row) => sum.map((v, j) => v + row[j]!),
        new Array<number>(features.length).fill(0),
      ),
    ]
  } else {
    // More groups than themes, then the groups that say the same thing merged: k-means splits
    // a large theme before it isolates a small one, so a minority only shows with k to spare.
    const k = Math.min(
      options.maxThemes * 2,
      Math.floor(Math.sqrt(rows.length)) + 1,
      rows.length - 1,
    )
    const fit = kmeans(rows, k, {
      seed: options.seed,
      initialization: 'kmeans++',
      maxIterations: 60,
    })
    centroids = mergeSimilar(fit.centroids, fit.clusters, options.maxThemes)
  }
  return withFixed(
    centroids.map((centre) => {
      const norm = Math.sqrt(centre.reduce((s, v) => s + v * v, 0)) || 1
      return Float64Array.from(centre, (v) => v / norm)
    }),
  )
}

type FitOptions = Required<Omit<ThemeOptions, 'groups'>> & { groups: number | null }

interface Candidate {
  id: number
  text: string
  similarity: number
}

interface ThemeTally {
  responses: number
  units: number
  positions: Map<string, number>
  groups: Map<string, number>
  memberIds: number[]
  mass: Float64Array
  /** The closest units per position, for quotes. */
  candidates: Map<string, Candidate[]>
}

const NO_POSITION = ''

/** One clustering of a language's texts and what was counted in each of its themes. */
interface Fit {
  model: LanguageModel
  tallies: ThemeTally[]
}

function newFit(model: LanguageModel): Fit {
  return {
    model,
    tallies: model.centres.map(() => ({
      responses: 0,
      units: 0,
      positions: new Map(),
      groups: new Map(),
      memberIds: [],
      mass: new Float64Array(model.features.length),
      candidates: new Map(),
    })),
  }
}

/** The nearest theme of a fit (-1 when none is nearer than MIN_SIMILARITY) and the unit's vector there. */
function nearest(fit: Fit, text: string) {
  const vector = vectorOf(fit.model, text)
  let best = -1
  let similarity = MIN_SIMILARITY
  for (let c = 0; c < fit.model.centres.length; c++) {
    const centre = fit.model.centres[c]!
    let dot = 0
    for (let i = 0; i < vector.at.length; i++) dot += vector.weight[i]! * centre[vector.at[i]!]!
    if (dot > similarity) {
      best = c
      similarity = dot
    }
  }
  return { best, similarity, vector }
}

function count(fit: Fit, theme: number, unit: ThemeUnit, near: ReturnType<typeof nearest>): void {
  const tally = fit.tallies[theme]!
  const { at, weight } = near.vector
  tally.responses += unit.members.length
  tally.units++
  for (let i = 0; i < at.length; i++) tally.mass[at[i]!]! += weight[i]!
  for (const member of unit.members) {
    tally.memberIds.push(member.id)
    const position = member.position ?? NO_POSITION
    tally.positions.set(position, (tally.positions.get(position) ?? 0) + 1)
    tally.groups.set(member.group, (tally.groups.get(member.group) ?? 0) + 1)
  }
  const position =
    unit.members.find((m) => m.id === unit.id)?.position ?? unit.members[0]?.position ?? NO_POSITION
  let list = tally.candidates.get(position)
  if (!list) tally.candidates.set(position, (list = []))
  if (list.length < QUOTE_CANDIDATES || near.similarity > list[list.length - 1]!.similarity) {
    list.push({ id: unit.id, text: unit.text, similarity: near.similarity })
    list.sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    if (list.length > QUOTE_CANDIDATES) list.pop()
  }
}

/**
 * A unit this far from every theme (cosine) is set aside: the units set aside are clustered
 * again at the end, so that a small group unlike the rest (six responses on quantum computing
 * among a thousand) becomes a theme of its own rather than the edge of a large one.
 */
const SET_ASIDE = 0.2
/** Units set aside per language at most (the rest go to their nearest theme). */
const SET_ASIDE_MOST = SAMPLE
/** A group of the units set aside is a theme if its members are this near its centre on average. */
const COHERENT = 0.3

/** Themes of a round: fitted on a sample, then every unit assigned (ThemeModel.assign). */
export class ThemeModel {
  private readonly fits = new Map<ThemeLanguage, Fit[]>()
  private readonly asides = new Map<ThemeLanguage, ThemeUnit[]>()
  private readonly languages = new Map<ThemeLanguage, number>()
  private responses = 0
  private units = 0
  private unthemed = 0
  private readonly options: FitOptions

  constructor(sample: { text: string }[], options: ThemeOptions = {}) {
    this.options = {
      maxThemes: options.maxThemes ?? MAX_THEMES,
      groups: options.groups ?? null,
      fixed: options.fixed ?? [],
      fallbackLanguage: options.fallbackLanguage ?? 'en',
      seed: options.seed ?? 42,
    }
    const byLanguage = new Map<ThemeLanguage, string[]>()
    for (const { text } of sample) {
      const language = detectLanguage(text, this.options.fallbackLanguage)
      let texts = byLanguage.get(language)
      if (!texts) byLanguage.set(language, (texts = []))
      texts.push(text)
    }
    // An accepted theme's language is fitted even when the sample has none of it now.
    for (const { language } of this.options.fixed) {
      if (!byLanguage.has(language)) byLanguage.set(language, [])
    }
    for (const [language, texts] of [...byLanguage].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      this.fits.set(language, [newFit(fitLanguage(language, texts, this.options))])
    }
  }

  /** Counts a unit (a response, or a campaign with all its members) in its nearest theme. */
  assign(unit: ThemeUnit): void {
    const language = detectLanguage(unit.text, this.options.fallbackLanguage)
    this.languages.set(language, (this.languages.get(language) ?? 0) + unit.members.length)
    this.responses += unit.members.length
    this.units++
    const fit = this.fits.get(language)?.[0]
    const near = fit ? nearest(fit, unit.text) : null
    const splitting = this.options.groups !== null
    if (!fit || !near || (near.similarity < SET_ASIDE && !splitting)) {
      let aside = this.asides.get(language)
      if (!aside) this.asides.set(language, (aside = []))
      if (aside.length < SET_ASIDE_MOST || !fit || !near) {
        aside.push(unit)
        return
      }
    }
    if (near.best < 0) this.unthemed += unit.members.length
    else count(fit, near.best, unit, near)
  }

  /** Clusters the units set aside: coherent groups big enough are themes, the rest go back. */
  private placeAsides(): void {
    for (const [language, aside] of this.asides) {
      const main = this.fits.get(language)?.[0]
      const responses = aside.reduce((n, unit) => n + unit.members.length, 0)
      let extra: Fit | null = null
      const keep = new Set<number>()
      const nearExtra: ReturnType<typeof nearest>[] = []
      if (responses >= KEEP_RESPONSES && aside.length >= 2) {
        extra = newFit(
          fitLanguage(
            language,
            aside.map((unit) => unit.text),
            { ...this.options, fixed: [] },
          ),
        )
        const size = extra.model.centres.map(() => 0)
        const closeness = extra.model.centres.map(() => 0)
        for (const unit of aside) {
          const near = nearest(extra, unit.text)
          nearExtra.push(near)
          if (near.best < 0) continue
          size[near.best]! += unit.members.length
          closeness[near.best]! += near.similarity
        }
        const units = extra.model.centres.map(() => 0)
        for (const near of nearExtra) if (near.best >= 0) units[near.best]!++
        size.forEach((n, c) => {
          const big = n >= KEEP_RESPONSES || n >= KEEP_SHARE * this.responses
          if (big && units[c]! > 0 && closeness[c]! / units[c]! >= COHERENT) keep.add(c)
        })
      }
      aside.forEach((unit, i) => {
        const near = nearExtra[i]
        if (extra && near && keep.has(near.best)) {
          count(extra, near.best, unit, near)
          return
        }
        const back = main ? nearest(main, unit.text) : null
        if (main && back && back.best >= 0) count(main, back.best, unit, back)
        else this.unthemed += unit.members.length
      })
      if (extra && keep.size > 0) {
        const fits = this.fits.get(language)
        if (fits) fits.push(extra)
        else this.fits.set(language, [extra])
      }
    }
    this.asides.clear()
  }

  /** The themes found, largest first within each language. */
  result(): ThemeResult {
    this.placeAsides()
    const found: Found[] = []
    let unthemed = this.unthemed
    for (const [language, fits] of [...this.fits].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const entries: Found[] = []
      for (const { model, tallies } of fits) {
        const labels = labelThemes(model, tallies)
        tallies.forEach((tally, c) => {
          const fixedId = model.fixedIds[c] ?? null
          if (tally.responses === 0 && fixedId === null) return
          // Too small to tell (under five responses and under 2%): in no theme, unless accepted.
          if (
            fixedId === null &&
            tally.responses < KEEP_RESPONSES &&
            tally.responses < KEEP_SHARE * this.responses
          ) {
            unthemed += tally.responses
            return
          }
          const centre = model.centres[c]!
          const terms: string[] = []
          const weights: number[] = []
          centre.forEach((w, f) => {
            if (w > 0) {
              terms.push(model.features[f]!)
              weights.push(w)
            }
          })
          const theme: Theme = {
            key: '',
            language,
            phrases: labels[c]!,
            responses: tally.responses,
            units: tally.units,
            share: tally.responses / Math.max(1, this.responses),
            unitShare: tally.units / Math.max(1, this.units),
            positions: sortedCounts(tally.positions),
            groups: sortedCounts(tally.groups),
            quotes: [],
            minority: tally.responses < MINORITY_SHARE * (this.languages.get(language) ?? 0),
            memberIds: tally.memberIds.sort((a, b) => a - b),
            fixedId,
            centre: { terms, weights },
          }
          entries.push({ theme, model, tally, centre })
        })
      }
      entries.sort(
        (a, b) =>
          b.theme.responses - a.theme.responses ||
          (a.theme.memberIds[0] ?? 0) - (b.theme.memberIds[0] ?? 0),
      )
      entries.forEach((entry, i) => (entry.theme.key = `${language}-${i + 1}`))
      found.push(...entries)
    }
    for (const entry of found) chooseQuotes(entry)
    coverPositions(found)
    return {
      themes: found.map((entry) => entry.theme),
      responses: this.responses,
      units: this.units,
      unthemed,
      languages: [...this.languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    }
  }
}

interface Found {
  theme: Theme
  model: LanguageModel
  tally: ThemeTally
  centre: Float64Array
}

function sortedCounts(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** Each theme's label: its most particular phrases (class-based TF-IDF), no phrase beside its own words. */
function labelThemes(model: LanguageModel, tallies: ThemeTally[]): string[][] {
  const total = new Float64Array(model.features.length)
  for (const tally of tallies) {
    for (let f = 0; f < total.length; f++) total[f]! += tally.mass[f]!
  }
  let allMass = 0
  for (const v of total) allMass += v
  const average = allMass / Math.max(1, tallies.length)
  return tallies.map((tally) => {
    let mass = 0
    for (const v of tally.mass) mass += v
    if (mass === 0) return []
    const scores = model.features.map((_, f) =>
      total[f]! > 0
        ? (model.features[f]!.includes(PAIR) ? PAIR_WEIGHT : 1) *
          (tally.mass[f]! / mass) *
          Math.log(1 + average / total[f]!)
        : 0,
    )
    const order = scores
      .map((_, f) => f)
      .filter((f) => scores[f]! > 0)
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
    const chosen: number[] = []
    const usedTerms = new Set<string>()
    for (const f of order) {
      if (chosen.length === PHRASES) break
      const parts = model.features[f]!.split(PAIR)
      // "peaceful protest" beside "protest", or "protests" beside it, says one thing twice.
      if (parts.some((term) => usedTerms.has(term))) continue
      chosen.push(f)
      for (const term of parts) usedTerms.add(term)
    }
    return chosen.map((f) => model.written[f]!)
  })
}

/** The sentences of a text that touch the theme, nearest its centre first, as written (long ones shortened). */
function sentencesOnTheme(model: LanguageModel, centre: Float64Array, text: string): string[] {
  const scored: { text: string; score: number; at: number }[] = []
  splitSentences(text).forEach((sentence, at) => {
    const { at: features, weight } = vectorOf(model, sentence)
    let score = 0
    for (let i = 0; i < features.length; i++) score += weight[i]! * centre[features[i]!]!
    if (score > 0) scored.push({ text: sentence, score, at })
  })
  return scored
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map(({ text: sentence }) => {
      const chars = [...sentence]
      return chars.length > QUOTE_MAX_CHARS
        ? chars.slice(0, QUOTE_MAX_CHARS - 1).join('') + '…'
        : sentence
    })
}

/** The next quote of a position in a theme: from its closest responses, a sentence on the theme unlike those quoted. */
function nextQuote(entry: Found, position: string, quoted: ThemeQuote[]): ThemeQuote | null {
  const vectors = quoted.map((q) => vectorOf(entry.model, q.text))
  const taken = new Set(quoted.map((q) => q.responseId))
  for (const candidate of entry.tally.candidates.get(position) ?? []) {
    if (taken.has(candidate.id)) continue
    for (const text of sentencesOnTheme(entry.model, entry.centre, candidate.text)) {
      const vector = vectorOf(entry.model, text)
      const weights = new Map(vector.at.map((f, i) => [f, vector.weight[i]!]))
      const same = vectors.some(({ at, weight }) => {
        let dot = 0
        for (let i = 0; i < at.length; i++) dot += weight[i]! * (weights.get(at[i]!) ?? 0)
        return dot >= SAME_QUOTE
      })
      if (!same) {
        return {
          responseId: candidate.id,
          text,
          position: position === NO_POSITION ? null : position,
        }
      }
    }
  }
  return null
}

/**
 * Two or three quotes: the theme's commonest position first, then each other position it holds
 * in order of size, then (if it holds one only) a second voice of the same.
 */
function chooseQuotes(entry: Found): void {
  const quotes = entry.theme.quotes
  const positions = entry.theme.positions.map(([position]) => position)
  for (const position of positions) {
    if (quotes.length === QUOTES) break
    const quote = nextQuote(entry, position, quotes)
    if (quote) quotes.push(quote)
  }
  if (quotes.length < 2 && positions.length > 0) {
    const quote = nextQuote(entry, positions[0]!, quotes)
    if (quote) quotes.push(quote)
  }
}

/**
 * Every position someone took is quoted somewhere: a position no theme quotes gets a quote in
 * the theme where most of its holders are (in place of that theme's last quote if it has three
 * and that quote's position is quoted elsewhere too).
 */
function coverPositions(found: Found[]): void {
  const quotedCount = new Map<string, number>()
  const count = (position: string | null, by: number) => {
    const key = position ?? NO_POSITION
    quotedCount.set(key, (quotedCount.get(key) ?? 0) + by)
  }
  for (const { theme } of found) for (const quote of theme.quotes) count(quote.position, 1)
  const held = new Map<string, { entry: Found; count: number }>()
  for (const entry of found) {
    for (const [position, n] of entry.theme.positions) {
      if (!entry.tally.candidates.has(position)) continue
      const best = held.get(position)
      if (!best || n > best.count) held.set(position, { entry, count: n })
    }
  }
  for (const [position, { entry }] of [...held].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if ((quotedCount.get(position) ?? 0) > 0) continue
    const quote = nextQuote(entry, position, entry.theme.quotes)
    if (!quote) continue
    const quotes = entry.theme.quotes
    const last = quotes[quotes.length - 1]
    if (
      quotes.length === QUOTES &&
      last &&
      (quotedCount.get(last.position ?? NO_POSITION) ?? 0) > 1
    ) {
      count(last.position, -1)
      quotes[quotes.length - 1] = quote
    } else {
      quotes.push(quote)
    }
    count(quote.position, 1)
  }
}

/** Themes of a whole list: the sample every n-th unit, then every unit assigned. */
export function findThemes(units: ThemeUnit[], options: ThemeOptions = {}): ThemeResult {
  const model = new ThemeModel(sampleOf(units, SAMPLE), options)
  for (const unit of units) model.assign(unit)
  return model.result()
}

/** Every n-th item, to take `size` spread evenly over the list (all of it when shorter). */
export function sampleOf<T>(items: T[], size = SAMPLE): T[] {
  if (items.length <= size) return items
  const step = items.length / size
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]!)
}

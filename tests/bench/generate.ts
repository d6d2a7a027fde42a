// A deterministic synthetic consultation for the benchmark: ~150-word
// responses in several languages, 60% of them from ~25 campaign templates
// with small edits (a tenth of those adding a paragraph or more of their own,
// a tenth keeping only part of the template), the rest unique, spread over
// respondent types, countries, controls and positions.
import { prng } from '#tests/helpers/corpus.ts'

export { prng }

const WORDS: Record<string, string[]> = {
  en: (
    'export control licence licensing spyware surveillance biometric facial recognition intrusion software network monitoring human rights ' +
    'defenders journalists civil society companies research university vulnerability disclosure penetration testing exemption scope definition ' +
    'catch-all end user due diligence guidance authorities transparency reporting brokers services cloud hosting training data models accountability ' +
    'oversight remedy victims abuse repression dissent privacy encryption lawful interception equipment carriers operators customers resellers ' +
    'subsidiaries jurisdiction enforcement penalties audit risk assessment red flags screening sanctions embargo dual-use technology innovation ' +
    'competitiveness small medium enterprises burden delay processing times clarity predictability harmonisation partners the of and to in that'
  ).split(' '),
  fr: (
    'contrôle exportation licence logiciel espion surveillance biométrie reconnaissance faciale droits humains défenseurs journalistes société ' +
    'civile entreprises recherche université vulnérabilité exemption définition utilisateur final diligence autorités transparence courtiers ' +
    'services données responsabilité répression vie privée chiffrement interception équipements opérateurs clients sanctions technologie le la les de des et'
  ).split(' '),
  de: (
    'Exportkontrolle Genehmigung Spionagesoftware Überwachung Biometrie Gesichtserkennung Menschenrechte Verteidiger Journalisten Zivilgesellschaft ' +
    'Unternehmen Forschung Universität Schwachstelle Ausnahme Definition Endverwender Sorgfalt Behörden Transparenz Vermittler Dienste Daten ' +
    'Verantwortung Unterdrückung Privatsphäre Verschlüsselung Überwachungstechnik Betreiber Kunden Sanktionen Technologie der die das und zu'
  ).split(' '),
  es: (
    'control exportación licencia programa espía vigilancia biometría reconocimiento facial derechos humanos defensores periodistas sociedad civil ' +
    'empresas investigación universidad vulnerabilidad exención definición usuario final diligencia autoridades transparencia intermediarios ' +
    'servicios datos responsabilidad represión privacidad cifrado interceptación equipos operadores clientes sanciones tecnología el la los de y'
  ).split(' '),
}
const JAPANESE = [
  '輸出管理',
  '監視技術',
  '顔認証システム',
  'スパイウェア',
  '人権',
  '報道関係者',
  '市民社会',
  '研究者',
  '許可制度',
  '透明性',
]

const LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'fr', 'de', 'es', 'ja'] as const
export const RESPONDENT_TYPES = [
  'company',
  'business_association',
  'academic',
  'ngo',
  'trade_union',
  'public_authority',
  'individual',
  'other',
] as const
const TYPE_WEIGHTS = [0.12, 0.05, 0.08, 0.2, 0.03, 0.02, 0.48, 0.02]
export const COUNTRIES = [
  'US',
  'AU',
  'DK',
  'NO',
  'DE',
  'FR',
  'JP',
  'KR',
  'NL',
  'CA',
  'GB',
  'ES',
  'FI',
  'EE',
  'CZ',
  'SE',
  'KE',
  'BR',
  'IN',
  'PH',
]
export const POSITIONS = ['support', 'support_with_changes', 'oppose', 'no_position'] as const

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!
}

function weighted<T>(random: () => number, list: readonly T[], weights: number[]): T {
  let r = random()
  for (let i = 0; i < list.length; i++) {
    r -= weights[i]!
    if (r <= 0) return list[i]!
  }
  return list[list.length - 1]!
}

function text(random: () => number, language: (typeof LANGUAGES)[number], words = 150): string {
  if (language === 'ja') {
    const parts: string[] = []
    while (parts.length < 40)
      parts.push(
        `${pick(random, JAPANESE)}${pick(random, ['は', 'の', 'を', 'に'])}${pick(random, JAPANESE)}。`,
      )
    return parts.join('')
  }
  const vocabulary = WORDS[language]!
  const out: string[] = []
  let count = 0
  while (count < words) {
    const length = 8 + Math.floor(random() * 10)
    const sentence = Array.from({ length }, () => pick(random, vocabulary))
    sentence[0] = sentence[0]!.charAt(0).toUpperCase() + sentence[0]!.slice(1)
    out.push(`${sentence.join(' ')}.`)
    count += length
  }
  return out.join(' ')
}

function edit(template: string, random: () => number): string {
  const sentences = template.split(/(?<=[.。])\s*/)
  if (random() < 0.4 && sentences.length > 6)
    sentences.splice(1 + Math.floor(random() * (sentences.length - 2)), 1)
  const words = sentences.join(' ').split(' ')
  for (let i = 0; i < 2; i++) words[Math.floor(random() * words.length)] = pick(random, WORDS.en!)
  const greeting = pick(random, [
    'Dear officials,',
    'To whom it may concern,',
    'Hello,',
    'Dear Sir or Madam,',
  ])
  const personal =
    random() < 0.5
      ? ` I write as a ${pick(random, ['student', 'parent', 'engineer', 'teacher', 'nurse'])} who cares about this.`
      : ''
  return `${greeting} ${words.join(' ')}${personal} Signed, ${Math.floor(random() * 1e6)}.`
}

/** The edited template with a paragraph (or two) of the respondent's own, before or after it. */
function withOwnText(edited: string, random: () => number): string {
  const own = text(random, 'en', 150 + Math.floor(random() * 150))
  return random() < 0.5 ? `${edited}\n\n${own}` : `${own}\n\n${edited}`
}

/** A run of 30% to 60% of the edited template's sentences. */
function partOf(edited: string, random: () => number): string {
  const sentences = edited.split(/(?<=[.。])\s+/)
  const keep = Math.max(2, Math.round(sentences.length * (0.3 + random() * 0.3)))
  const start = Math.floor(random() * (sentences.length - keep + 1))
  return sentences.slice(start, start + keep).join(' ')
}

export interface SyntheticResponse {
  respondentType: (typeof RESPONDENT_TYPES)[number]
  country: string
  control: number
  position: (typeof POSITIONS)[number]
  body: string
  /** The campaign template it copies, or null for a unique text. */
  campaign: number | null
  /** How it uses its template: a copy, with text of its own, or part of it (null: unique). */
  reuse: 'copy' | 'own-text' | 'partial' | null
  publication: 'named' | 'anonymous' | 'not_published'
  published: boolean
}

/** The generator: call next() for each response; templates are fixed by the seed. */
export function generator(seed = 2026, { campaigns = 25, controls = 4, campaignShare = 0.6 } = {}) {
  const random = prng(seed)
  // Reuse is drawn from a stream of its own, so that the rest of the corpus stays as it was.
  const reuseRandom = prng(seed + 17)
  const templates = Array.from({ length: campaigns }, (_, i) =>
    text(prng(seed * 1000 + i), i % 5 === 4 ? 'fr' : 'en'),
  )
  return {
    templates,
    next(): SyntheticResponse {
      const isCampaign = random() < campaignShare
      const campaign = isCampaign ? Math.floor(random() * campaigns) : null
      const language = pick(random, LANGUAGES)
      const body = campaign === null ? text(random, language) : edit(templates[campaign]!, random)
      const draw = campaign === null ? 1 : reuseRandom()
      const reuse =
        campaign === null ? null : draw < 0.1 ? 'own-text' : draw < 0.2 ? 'partial' : 'copy'
      return {
        respondentType: isCampaign
          ? 'individual'
          : weighted(random, RESPONDENT_TYPES, TYPE_WEIGHTS),
        country: pick(random, COUNTRIES),
        control: isCampaign ? campaign! % controls : Math.floor(random() * controls),
        position: isCampaign ? 'support_with_changes' : pick(random, POSITIONS),
        body:
          reuse === 'own-text'
            ? withOwnText(body, reuseRandom)
            : reuse === 'partial'
              ? partOf(body, reuseRandom)
              : body,
        campaign,
        reuse,
        publication: random() < 0.8 ? 'named' : random() < 0.5 ? 'anonymous' : 'not_published',
        published: random() < 0.9,
      }
    },
  }
}

// Labelled corpora for the themes: responses generated from known themes and known positions,
// in English and in French, each with a minority theme of 5% whose holders mostly oppose. Every
// text mixes sentences of its theme (with words inflected and sentences varied) with sentences
// every theme's respondents write, so a theme has to be found by what it says, not by its form.
import { prng } from './corpus.ts'

export interface LabelledResponse {
  id: number
  text: string
  theme: string
  position: 'support' | 'support_with_changes' | 'oppose' | 'no_position'
  group: string
  language: 'en' | 'fr'
}

interface ThemeSpec {
  name: string
  share: number
  /** Weights of support, support_with_changes, oppose, no_position. */
  positions: [number, number, number, number]
  sentences: string[]
  /** Filled into {a}, {b}, {c} in turn, so a sentence is written several ways. */
  words: { a: string[]; b: string[]; c: string[] }
}

const EN: ThemeSpec[] = [
  {
    name: 'research exemption',
    share: 0.32,
    positions: [0.2, 0.6, 0.15, 0.05],
    sentences: [
      'Security {a} who test systems for vulnerabilities must not need a licence for their {b}.',
      'The exemption for vulnerability {b} should cover penetration testing and coordinated disclosure.',
      'Academic {a} publish exploits to warn vendors, and the control would stop that {b}.',
      'Without a clear research exemption, {a} will stop reporting {c} to the vendors affected.',
      'Bug bounty programmes and disclosure of {c} are how software gets fixed.',
    ],
    words: {
      a: ['researchers', 'researcher', 'scientists', 'testers'],
      b: ['research', 'work', 'testing', 'findings'],
      c: ['vulnerabilities', 'flaws', 'exploits', 'weaknesses'],
    },
  },
  {
    name: 'licensing burden',
    share: 0.26,
    positions: [0.1, 0.5, 0.35, 0.05],
    sentences: [
      'Small and medium {a} cannot wait months for a licence decision.',
      'Licence processing {b} of ninety days would cost us {c} abroad.',
      'The compliance burden falls hardest on small {a} with no export lawyer.',
      'Please set a deadline for licensing decisions and publish average processing {b}.',
      'A general licence for trusted partners would cut the paperwork and the {c} we lose.',
    ],
    words: {
      a: ['companies', 'company', 'enterprises', 'firms'],
      b: ['times', 'delays', 'time', 'periods'],
      c: ['customers', 'contracts', 'orders', 'sales'],
    },
  },
  {
    name: 'human rights due diligence',
    share: 0.21,
    positions: [0.65, 0.3, 0.0, 0.05],
    sentences: [
      'Spyware has been used to {a} journalists and human rights defenders.',
      'Exporters should carry out human rights due diligence on every end user before {b}.',
      'Licences must be refused where there is a clear risk of {c} against activists.',
      'Authorities should publish which end users were refused and why, to deter {c}.',
      'Victims of surveillance abuse need a remedy, and exporters must check who {a} them.',
    ],
    words: {
      a: ['target', 'track', 'monitor', 'surveil'],
      b: ['shipping', 'selling', 'delivery', 'export'],
      c: ['repression', 'abuse', 'persecution', 'violations'],
    },
  },
  {
    name: 'cloud services',
    share: 0.16,
    positions: [0.3, 0.5, 0.1, 0.1],
    sentences: [
      'The control text does not say whether remote access to {a} hosted software is an export.',
      'Cloud {b} of facial recognition should be covered like the software itself.',
      'Software updates pushed from {a} servers to customers abroad need a clear rule.',
      'Intangible transfers through cloud {b} are where most surveillance tools now travel.',
      'Please clarify how licensing applies to {c} delivered as a service.',
    ],
    words: {
      a: ['cloud', 'remotely', 'centrally', 'overseas'],
      b: ['hosting', 'services', 'platforms', 'deployment'],
      c: ['analytics', 'models', 'tools', 'applications'],
    },
  },
  {
    name: 'encryption and open source (minority)',
    share: 0.05,
    positions: [0.0, 0.1, 0.85, 0.05],
    sentences: [
      'Open source {a} published for anyone must stay outside any export control.',
      'Controlling encryption {b} weakens the security of ordinary users everywhere.',
      'Volunteer maintainers of {a} cannot run compliance checks on every download.',
      'The draft would make publishing encryption {b} on a public repository a licensed {c}.',
    ],
    words: {
      a: ['code', 'libraries', 'projects', 'software'],
      b: ['libraries', 'tools', 'software', 'algorithms'],
      c: ['export', 'activity', 'transfer', 'act'],
    },
  },
]

const EN_COMMON = [
  'Thank you for the opportunity to comment on this proposal.',
  'We welcome the consultation and hope our views are taken into account.',
  'Our organisation has followed this initiative closely since it began.',
  'We would be glad to discuss these points further with the authority.',
]

const FR: ThemeSpec[] = [
  {
    name: 'exemption pour la recherche',
    share: 0.4,
    positions: [0.2, 0.6, 0.15, 0.05],
    sentences: [
      'Les {a} en sécurité qui testent des systèmes ne doivent pas demander de licence pour leurs {b}.',
      "L'exemption pour la recherche de vulnérabilités doit couvrir les tests d'intrusion et la divulgation coordonnée.",
      'Les {a} universitaires publient des failles pour alerter les éditeurs, et le contrôle arrêterait ces {b}.',
      'Sans exemption claire pour la recherche, les {a} cesseront de signaler les {c} aux éditeurs.',
    ],
    words: {
      a: ['chercheurs', 'chercheur', 'scientifiques', 'testeurs'],
      b: ['recherches', 'travaux', 'tests', 'découvertes'],
      c: ['vulnérabilités', 'failles', 'faiblesses', 'vulnérabilité'],
    },
  },
  {
    name: 'délais de licence',
    share: 0.3,
    positions: [0.1, 0.5, 0.35, 0.05],
    sentences: [
      'Les petites et moyennes {a} ne peuvent pas attendre des mois une décision de licence.',
      'Des délais de traitement de quatre-vingt-dix jours nous feraient perdre des {c} à l’étranger.',
      'La charge administrative pèse surtout sur les petites {a} sans juriste spécialisé.',
      'Merci de fixer un délai pour les décisions de licence et de publier les délais moyens de {b}.',
    ],
    words: {
      a: ['entreprises', 'entreprise', 'sociétés', 'PME'],
      b: ['traitement', 'décision', 'instruction', 'réponse'],
      c: ['clients', 'contrats', 'commandes', 'marchés'],
    },
  },
  {
    name: 'droits humains',
    share: 0.25,
    positions: [0.65, 0.3, 0.0, 0.05],
    sentences: [
      'Des logiciels espions ont servi à {a} des journalistes et des défenseurs des droits humains.',
      'Les exportateurs doivent exercer une diligence raisonnable en matière de droits humains sur chaque utilisateur final avant toute {b}.',
      'Les licences doivent être refusées lorsque le risque de {c} contre des militants est manifeste.',
      'Les victimes de surveillance abusive doivent disposer d’un recours effectif contre la {c}.',
    ],
    words: {
      a: ['surveiller', 'cibler', 'suivre', 'espionner'],
      b: ['vente', 'livraison', 'exportation', 'expédition'],
      c: ['répression', 'persécution', 'violations', 'abus'],
    },
  },
  {
    name: 'logiciels libres (minorité)',
    share: 0.05,
    positions: [0.0, 0.1, 0.85, 0.05],
    sentences: [
      'Le {a} libre publié pour tous doit rester hors de tout contrôle des exportations.',
      'Contrôler les {b} de chiffrement affaiblit la sécurité de tous les utilisateurs.',
      'Les mainteneurs bénévoles de {a} libre ne peuvent pas contrôler chaque téléchargement.',
      'Publier des {b} de chiffrement sur un dépôt public deviendrait une {c} soumise à licence.',
    ],
    words: {
      a: ['code', 'logiciel', 'projet', 'code source'],
      b: ['bibliothèques', 'outils', 'logiciels', 'algorithmes'],
      c: ['exportation', 'activité', 'opération', 'diffusion'],
    },
  },
]

const FR_COMMON = [
  'Nous vous remercions de cette consultation et de la possibilité de répondre.',
  'Notre organisation suit cette initiative avec attention depuis son lancement.',
  'Nous restons à la disposition des autorités pour en discuter.',
]

const POSITIONS = ['support', 'support_with_changes', 'oppose', 'no_position'] as const
const GROUPS = ['company', 'academic', 'ngo', 'individual', 'business_association']

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function weighted(random: () => number, weights: readonly number[]): number {
  let r = random() * weights.reduce((a, b) => a + b, 0)
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!
    if (r < 0) return i
  }
  return weights.length - 1
}

function fill(random: () => number, spec: ThemeSpec, sentence: string): string {
  return sentence.replace(/\{([abc])\}/g, (_, slot: 'a' | 'b' | 'c') =>
    pick(random, spec.words[slot]),
  )
}

function write(
  random: () => number,
  spec: ThemeSpec,
  others: ThemeSpec[],
  common: string[],
): string {
  const sentences = [...spec.sentences]
    .sort(() => random() - 0.5)
    .slice(0, 2 + Math.floor(random() * 2))
  const filled = sentences.map((s) => fill(random, spec, s))
  // A quarter of the respondents also touch on another theme in passing.
  if (random() < 0.25) {
    const other = pick(random, others)
    filled.splice(1, 0, fill(random, other, pick(random, other.sentences)))
  }
  // About half the respondents open or close with a courtesy every theme shares.
  if (random() < 0.5) filled.unshift(pick(random, common))
  if (random() < 0.3) filled.push(pick(random, common))
  return filled.join(' ')
}

/** `count` responses in the language, ids from `firstId`, themes in their shares (the last gets the rest). */
export function themeCorpus(
  language: 'en' | 'fr',
  count: number,
  seed = 7,
  firstId = 1,
): LabelledResponse[] {
  const random = prng(seed)
  const specs = language === 'en' ? EN : FR
  const common = language === 'en' ? EN_COMMON : FR_COMMON
  const out: LabelledResponse[] = []
  for (let s = 0; s < specs.length; s++) {
    const spec = specs[s]!
    const n = Math.round(count * spec.share)
    for (let i = 0; i < n; i++) {
      out.push({
        id: 0,
        text: write(
          random,
          spec,
          specs.filter((o) => o !== spec),
          common,
        ),
        theme: spec.name,
        position: POSITIONS[weighted(random, spec.positions)]!,
        group: pick(random, GROUPS),
        language,
      })
    }
  }
  // Shuffled so that the themes are not in blocks, then numbered.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  out.forEach((response, i) => (response.id = firstId + i))
  return out
}

/** The name of each language's minority theme. */
export const MINORITY_THEMES = {
  en: EN[EN.length - 1]!.name,
  fr: FR[FR.length - 1]!.name,
}

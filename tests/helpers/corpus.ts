// Deterministic synthetic texts for search and campaign tests.

/** mulberry32: a small seeded PRNG, so every run builds the same corpus. */
export function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VOCABULARY = (
  'export control licence licensing spyware surveillance biometric facial recognition intrusion software ' +
  'network monitoring human rights defenders journalists civil society companies research university ' +
  'vulnerability disclosure penetration testing exemption scope definition catch-all end user due diligence ' +
  'guidance authorities transparency reporting brokers services cloud hosting training data models ' +
  'accountability oversight remedy victims abuse repression dissent privacy encryption lawful interception ' +
  'equipment carriers operators customers resellers subsidiaries jurisdiction enforcement penalties audit ' +
  'risk assessment red flags screening sanctions embargo dual-use technology innovation competitiveness ' +
  'small medium enterprises burden delay processing times clarity predictability harmonisation partners'
).split(' ')

/** A distinct text of about `words` words drawn from the vocabulary. */
export function distinctText(random: () => number, words = 150): string {
  const out: string[] = []
  while (out.length < words) {
    const length = 8 + Math.floor(random() * 10)
    const sentence = Array.from(
      { length },
      () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]!,
    )
    sentence[0] = sentence[0]!.charAt(0).toUpperCase() + sentence[0]!.slice(1)
    out.push(`${sentence.join(' ')}.`)
  }
  return out.join(' ')
}

/** A campaign template: a fixed letter of about 150 words. */
export function template(random: () => number): string {
  return distinctText(random, 150)
}

/** A light edit of a template: a changed greeting, one word swapped, maybe a sentence dropped or added. */
export function editOf(text: string, random: () => number): string {
  const sentences = text.split(/(?<=\.)\s+/)
  if (random() < 0.5 && sentences.length > 6)
    sentences.splice(1 + Math.floor(random() * (sentences.length - 2)), 1)
  const words = sentences.join(' ').split(' ')
  const at = Math.floor(random() * words.length)
  words[at] = VOCABULARY[Math.floor(random() * VOCABULARY.length)]!
  const greeting = ['Dear officials,', 'To whom it may concern,', 'Hello,', 'Dear Sir or Madam,'][
    Math.floor(random() * 4)
  ]
  const personal =
    random() < 0.5
      ? ` I write as a ${['student', 'parent', 'engineer', 'teacher', 'nurse'][Math.floor(random() * 5)]} who cares about this.`
      : ''
  return `${greeting} ${words.join(' ')}${personal} Signed, person ${Math.floor(random() * 100000)}.`
}

import { describe, expect, test } from 'vitest'
import { escapeMarkdown, splitSentences, wordPieces } from '#app/analysis/sentences.ts'

describe('splitSentences', () => {
  test('English: terminators, line breaks, decimals and abbreviations; short sentences dropped', () => {
    const text =
      'The draft is far too broad. It would capture vulnerability research!   Would it not? Yes.\n' +
      'See section 4.2 of the draft, e.g. the annex on licences, for details.\r\n' +
      '- Dr. Smith of the U.S. delegation agreed with that view\n\n' +
      'Controls should "target the vendors." They should not target researchers.'
    expect(splitSentences(text)).toEqual([
      'The draft is far too broad.',
      'It would capture vulnerability research!',
      'See section 4.2 of the draft, e.g. the annex on licences, for details.',
      'Dr. Smith of the U.S. delegation agreed with that view',
      'Controls should "target the vendors."',
      'They should not target researchers.',
    ])
  })

  test('French: spaced punctuation, accents and elisions kept as written', () => {
    const text =
      "La définition du logiciel d'intrusion est trop large. Les chercheurs en sécurité " +
      "seront pénalisés ! Qu'en pensez-vous ? Non."
    expect(splitSentences(text)).toEqual([
      "La définition du logiciel d'intrusion est trop large.",
      'Les chercheurs en sécurité seront pénalisés !',
      "Qu'en pensez-vous ?",
    ])
  })

  test('Japanese: split on 。！？ with no spaces, short sentences kept', () => {
    expect(
      splitSentences(
        'スパイウェアの輸出規制に賛成です。研究者は例外にすべきだ！本当に？\n「はい。」',
      ),
    ).toEqual([
      'スパイウェアの輸出規制に賛成です。',
      '研究者は例外にすべきだ！',
      '本当に？',
      '「はい。」',
    ])
  })

  test('nothing to split', () => {
    expect(splitSentences('')).toEqual([])
    expect(splitSentences(' \n ... !! \n')).toEqual([])
  })
})

describe('wordPieces', () => {
  test('a Latin run is one word; a Japanese run splits where its script changes', () => {
    expect(wordPieces('licensing')).toEqual(['licensing'])
    expect(wordPieces('輸出規制のスパイウェア')).toEqual(['輸出規制', 'の', 'スパイウェア'])
    // The long vowel mark stays with the katakana word it lengthens.
    expect(wordPieces('データー')).toEqual(['データー'])
  })
})

describe('escapeMarkdown', () => {
  test('respondents cannot inject Markdown', () => {
    expect(
      escapeMarkdown('Spyware is *really* <b>dangerous</b> for [journalists](http://x).'),
    ).toBe('Spyware is \\*really\\* \\<b\\>dangerous\\</b\\> for \\[journalists\\](http://x).')
    expect(escapeMarkdown('# heading | table ~ `code` _em_ \\')).toBe(
      '\\# heading \\| table \\~ \\`code\\` \\_em\\_ \\\\',
    )
  })
})

import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { responseSchema } from '#app/models/response-input.ts'
import { FieldCounter, checkFieldName, formShape, mergeShapes } from '#app/utils/form-shape.ts'

// A round of three controls whose longest list of questions has two: the response form then
// has scopes 0 to 3 and answers 0 and 1.
const shape = formShape(responseSchema({ maxFiles: 10, maxFileBytes: 1_000_000 }), {
  lists: { scopes: 4 },
  repeat: { 'scopes[].answers': 2, removeAttachments: 10 },
  files: { files: 10, confidentialFiles: 10 },
})

const CASES = 2000

describe('the shape of a form, read from its schema', () => {
  test('names every field of the response form, with the bounds of its lists', () => {
    expect([...shape.fields.keys()].sort()).toEqual(
      [
        'authorName',
        'confidential',
        'confidentialFiles',
        'confidentialJustification',
        'contactEmail',
        'contactName',
        'country',
        'files',
        'intent',
        'organisation',
        'organisationSize',
        'publicVersion',
        'publication',
        'registerId',
        'removeAttachments',
        'removeAttachments[]',
        'respondentType',
        'scopes[].answers',
        'scopes[].answers[]',
        'scopes[].body',
        'scopes[].controlId',
        'scopes[].position',
        'submissionKey',
        'website',
      ].sort(),
    )
    expect(shape.fields.get('scopes[].answers[]')).toEqual({
      repeat: 1,
      indexes: [4, 2],
      file: false,
    })
    expect(shape.maxFiles).toBe(20)
  })

  test('a repeated field or a list without a bound is a programming error, found at once', () => {
    expect(() => formShape(z.object({ ids: z.array(z.string()) }))).toThrow(/ids needs a bound/)
    expect(() => formShape(z.object({ rows: z.array(z.object({ a: z.string() })) }))).toThrow(
      /list rows needs a bound/,
    )
  })

  test('several intents posted to one page make one shape with each field once', () => {
    const merged = mergeShapes(
      formShape(z.object({ intent: z.literal('a'), x: z.string() })),
      formShape(z.object({ intent: z.literal('b'), ids: z.array(z.string()) }), {
        repeat: { ids: 5 },
      }),
    )
    expect([...merged.fields.keys()].sort()).toEqual(['ids', 'ids[]', 'intent', 'x'])
  })
})

describe('field names, checked before anything is built from them', () => {
  test('the crafted names that took the server down are refused', () => {
    expect(checkFieldName(shape, 'scopes[5000000].body')).toEqual({
      ok: false,
      refusal: 'indexTooLarge',
    })
    expect(checkFieldName(shape, 'scopes[1].answers[3000000]')).toEqual({
      ok: false,
      refusal: 'indexTooLarge',
    })
    expect(checkFieldName(shape, `scopes[${'9'.repeat(40)}].body`)).toEqual({
      ok: false,
      refusal: 'indexTooLarge',
    })
    expect(checkFieldName(shape, 'scopes[0].answers[0].x').ok).toBe(false)
    expect(checkFieldName(shape, '__proto__').ok).toBe(false)
    expect(checkFieldName(shape, 'constructor.prototype').ok).toBe(false)
  })

  test(`an index is accepted exactly below its bound (${CASES} cases)`, () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 10_000_000 }), (i, j) => {
        const check = checkFieldName(shape, `scopes[${i}].answers[${j}]`)
        expect(check.ok).toBe(i < 4 && j < 2)
        if (check.ok) expect(check.canonical).toBe(`scopes[${i}].answers[${j}]`)
      }),
      { numRuns: CASES },
    )
  })

  test(`any string at all is either a known field or refused, never an exception (${CASES} cases)`, () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc
        .array(
          fc.oneof(
            fc.constantFrom('scopes', 'answers', 'body', 'files', '__proto__', '‮', '\u0000'),
            fc.nat().map((n) => `[${n}]`),
            fc.constant('.'),
            fc.constant('['),
            fc.constant(']'),
          ),
          { maxLength: 60 },
        )
        .map((parts) => parts.join('')),
    )
    fc.assert(
      fc.property(hostile, (name) => {
        const check = checkFieldName(shape, name)
        if (check.ok) {
          expect(name.length).toBeLessThanOrEqual(200)
          expect(shape.fields.has(check.canonical.replace(/\[\d+\]/g, '[]'))).toBe(true)
        } else {
          expect(['unknownField', 'indexTooLarge', 'fieldNameTooLong']).toContain(check.refusal)
        }
      }),
      { numRuns: CASES },
    )
  })

  test('one field spelt two ways (scopes[01], scopes[1]) counts as one, and a second is refused', () => {
    const counter = new FieldCounter(shape)
    expect(counter.add('scopes[01].body', { file: false })).toMatchObject({
      ok: true,
      canonical: 'scopes[1].body',
    })
    expect(counter.add('scopes[1].body', { file: false })).toEqual({
      ok: false,
      refusal: 'duplicateField',
    })
  })

  test(`a repeated field takes as many values as its bound, and no more (${CASES / 10} cases)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const counter = new FieldCounter(shape)
        const results = Array.from({ length: n }, () =>
          counter.add('removeAttachments', { file: false }),
        )
        expect(results.filter((r) => r.ok)).toHaveLength(Math.min(n, 10))
        expect(results.slice(10).every((r) => !r.ok && r.refusal === 'duplicateField')).toBe(true)
      }),
      { numRuns: CASES / 10 },
    )
  })

  test('a file where a field is expected, or a field where a file is, is refused', () => {
    const counter = new FieldCounter(shape)
    expect(counter.add('files', { file: false }).ok).toBe(false)
    expect(counter.add('organisation', { file: true }).ok).toBe(false)
  })
})

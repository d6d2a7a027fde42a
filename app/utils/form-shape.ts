// What a form may contain, read from its zod schema, and the check of each field name against it
// before anything is built from the form. Conform turns a name such as `scopes[5000000].body` into
// an array of five million entries; here such a name is refused unless the round has that many
// controls. Pure: no I/O, shared by the server's form reader and its tests.
import type { z } from 'zod'

/** Why a form was refused before it was read to its end. */
export type FormRefusal =
  | 'unknownField'
  | 'duplicateField'
  | 'indexTooLarge'
  | 'fieldNameTooLong'
  | 'fieldTooLarge'
  | 'tooManyFields'
  | 'formTooLarge'
  | 'malformed'
  | 'incomplete'
  | 'unsupportedType'
  | 'unknownControl'
  | 'unknownIntent'
  | 'invalidValue'
  | 'busy'

export interface FieldRule {
  /** How many times the same name may appear (a repeated field, such as checkboxes). */
  repeat: number
  /** The bound of each `[]` index in the name, in order. */
  indexes: number[]
  file: boolean
}

export interface FormShape {
  /** Field name patterns (`scopes[].answers[]`), each with its rule. */
  fields: Map<string, FieldRule>
  /** The most fields (not files) the form can have. */
  maxFields: number
  /** The most files (file parts with a name), empty ones included. */
  maxFiles: number
  /** The largest value of one field, in bytes. */
  maxFieldBytes: number
  /** The most bytes of all fields together. */
  maxTextBytes: number
}

export interface ShapeOptions {
  /** How many values each repeated field (a zod array of values) may carry, by name. */
  repeat?: Record<string, number>
  /** How many entries each list of objects (`scopes[0].body`) may have, by its path (`scopes`). */
  lists?: Record<string, number>
  /** File fields, with how many files each may carry. */
  files?: Record<string, number>
  /** The largest value of one field, in bytes (default 256 KiB: 50,000 characters of any script). */
  maxFieldBytes?: number
  /** The most bytes of all fields together (default 1 MiB). */
  maxTextBytes?: number
}

/** The longest field name accepted, in bytes. */
export const MAX_FIELD_NAME_BYTES = 200
/** The largest index accepted in a name, whatever the form: seven digits. */
const MAX_INDEX_DIGITS = 7
const DEFAULT_FIELD_BYTES = 256 * 1024
const DEFAULT_TEXT_BYTES = 1024 * 1024
/** A form of more fields than this is refused whatever its schema allows. */
const FIELDS_CEILING = 200_000

interface ZodDef {
  type: string
  shape?: Record<string, z.ZodType>
  options?: z.ZodType[]
  in?: z.ZodType
  out?: z.ZodType
  innerType?: z.ZodType
  element?: z.ZodType
  left?: z.ZodType
  right?: z.ZodType
  getter?: () => z.ZodType
}

const defOf = (schema: z.ZodType): ZodDef =>
  (schema as unknown as { _zod: { def: ZodDef } })._zod.def

type Node =
  { kind: 'leaf' } | { kind: 'array'; element: Node } | { kind: 'object'; keys: Map<string, Node> }

/** What a zod type accepts, as a tree of objects, arrays and values (wrappers and pipes seen through). */
function nodeOf(schema: z.ZodType, depth = 0): Node {
  if (depth > 32) throw new Error('form schema nested too deeply')
  const def = defOf(schema)
  switch (def.type) {
    case 'object': {
      const keys = new Map<string, Node>()
      for (const [key, value] of Object.entries(def.shape ?? {}))
        keys.set(key, nodeOf(value, depth + 1))
      return { kind: 'object', keys }
    }
    case 'union':
      return (def.options ?? []).map((o) => nodeOf(o, depth + 1)).reduce(merge)
    case 'intersection':
      return merge(nodeOf(def.left!, depth + 1), nodeOf(def.right!, depth + 1))
    case 'pipe': {
      const sides = [def.in!, def.out!].filter((s) => defOf(s).type !== 'transform')
      return sides.map((s) => nodeOf(s, depth + 1)).reduce(merge, { kind: 'leaf' } as Node)
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return nodeOf(def.innerType!, depth + 1)
    case 'lazy':
      return nodeOf(def.getter!(), depth + 1)
    case 'array':
      return { kind: 'array', element: nodeOf(def.element!, depth + 1) }
    default:
      return { kind: 'leaf' }
  }
}

/** Two readings of one field (the options of a union, the sides of a pipe) as one. */
function merge(a: Node, b: Node): Node {
  if (a.kind === 'leaf') return b
  if (b.kind === 'leaf') return a
  if (a.kind === 'array' && b.kind === 'array')
    return { kind: 'array', element: merge(a.element, b.element) }
  if (a.kind === 'object' && b.kind === 'object') {
    const keys = new Map(a.keys)
    for (const [key, node] of b.keys)
      keys.set(key, keys.has(key) ? merge(keys.get(key)!, node) : node)
    return { kind: 'object', keys }
  }
  return a.kind === 'array' ? a : b
}

/**
 * The shape of a form from its zod schema (or the schemas of its several intents). Every repeated
 * field and every list must be given its bound in `options`: a schema without one is a programming
 * error, reported when the shape is built.
 */
export function formShape(schemas: z.ZodType | z.ZodType[], options: ShapeOptions = {}): FormShape {
  const root = (Array.isArray(schemas) ? schemas : [schemas]).map((s) => nodeOf(s)).reduce(merge)
  const fields = new Map<string, FieldRule>()
  const files = options.files ?? {}
  const add = (pattern: string, rule: FieldRule) => fields.set(pattern, rule)

  const walk = (node: Node, path: string, indexes: number[]) => {
    if (node.kind === 'object') {
      for (const [key, child] of node.keys) walk(child, path ? `${path}.${key}` : key, indexes)
      return
    }
    if (path in files) {
      add(path, { repeat: files[path]!, indexes, file: true })
      return
    }
    if (node.kind === 'leaf') {
      add(path, { repeat: 1, indexes, file: false })
      return
    }
    if (node.element.kind === 'object') {
      const bound = options.lists?.[path]
      if (bound === undefined) throw new Error(`form shape: the list ${path} needs a bound`)
      walk(node.element, `${path}[]`, [...indexes, bound])
      return
    }
    const bound = options.repeat?.[path]
    if (bound === undefined) throw new Error(`form shape: the repeated field ${path} needs a bound`)
    // A browser repeats the name (`ids`, `ids`); Conform's own names index it (`answers[0]`).
    add(path, { repeat: bound, indexes, file: false })
    add(`${path}[]`, { repeat: 1, indexes: [...indexes, bound], file: false })
  }
  if (root.kind !== 'object') throw new Error('form shape: a form schema is an object')
  walk(root, '', [])
  for (const name of Object.keys(files)) {
    if (!fields.has(name)) add(name, { repeat: files[name]!, indexes: [], file: true })
  }

  let maxFields = 0
  let maxFiles = 0
  for (const rule of fields.values()) {
    const count = rule.indexes.reduce((n, bound) => n * bound, rule.repeat)
    if (rule.file) maxFiles += count
    else maxFields += count
  }
  return {
    fields,
    maxFields: Math.min(maxFields, FIELDS_CEILING),
    maxFiles,
    maxFieldBytes: options.maxFieldBytes ?? DEFAULT_FIELD_BYTES,
    maxTextBytes: options.maxTextBytes ?? DEFAULT_TEXT_BYTES,
  }
}

/** Several forms posted to one address (a page's several intents) as one shape. */
export function mergeShapes(...shapes: FormShape[]): FormShape {
  const fields = new Map<string, FieldRule>()
  for (const shape of shapes) {
    for (const [pattern, rule] of shape.fields) {
      const known = fields.get(pattern)
      fields.set(
        pattern,
        known
          ? {
              repeat: Math.max(known.repeat, rule.repeat),
              indexes: rule.indexes.map((b, i) => Math.max(b, known.indexes[i] ?? 0)),
              file: known.file || rule.file,
            }
          : rule,
      )
    }
  }
  const most = (pick: (s: FormShape) => number) => Math.max(...shapes.map(pick))
  return {
    fields,
    maxFields: most((s) => s.maxFields),
    maxFiles: most((s) => s.maxFiles),
    maxFieldBytes: most((s) => s.maxFieldBytes),
    maxTextBytes: most((s) => s.maxTextBytes),
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\[\d{1,7}\]|\.[A-Za-z_][A-Za-z0-9_]*)*$/
const INDEX = /\[(\d+)\]/g

export type NameCheck =
  { ok: true; canonical: string; rule: FieldRule } | { ok: false; refusal: FormRefusal }

/**
 * Whether a field name belongs to the form, and its canonical spelling (`scopes[01]` and
 * `scopes[1]` are one field to Conform, so they count as one). Nothing is built from the name.
 */
export function checkFieldName(shape: FormShape, name: string): NameCheck {
  if (name.length > MAX_FIELD_NAME_BYTES) return { ok: false, refusal: 'fieldNameTooLong' }
  if (!NAME.test(name)) {
    // An index of more digits than any form has is its own refusal, so the message can say so.
    return /\[\d{8,}\]/.test(name)
      ? { ok: false, refusal: 'indexTooLarge' }
      : { ok: false, refusal: 'unknownField' }
  }
  const indexes: number[] = []
  const pattern = name.replace(INDEX, (_, digits: string) => {
    indexes.push(digits.length > MAX_INDEX_DIGITS ? Infinity : Number(digits))
    return '[]'
  })
  const rule = shape.fields.get(pattern)
  if (!rule) return { ok: false, refusal: 'unknownField' }
  for (let i = 0; i < indexes.length; i++) {
    if (!(indexes[i]! < rule.indexes[i]!)) return { ok: false, refusal: 'indexTooLarge' }
  }
  let i = 0
  const canonical = indexes.length ? pattern.replace(/\[\]/g, () => `[${indexes[i++]}]`) : pattern
  return { ok: true, canonical, rule }
}

/** Counts each field's appearances as a form is read, refusing one past its bound. */
export class FieldCounter {
  private readonly seen = new Map<string, number>()
  private total = 0
  constructor(private readonly shape: FormShape) {}

  /** Records one appearance of `name`; the refusal if it is not allowed. */
  add(name: string, { file }: { file: boolean }): NameCheck {
    const check = checkFieldName(this.shape, name)
    if (!check.ok) return check
    if (check.rule.file !== file) return { ok: false, refusal: 'unknownField' }
    const count = (this.seen.get(check.canonical) ?? 0) + 1
    if (count > check.rule.repeat) return { ok: false, refusal: 'duplicateField' }
    if (!file && ++this.total > this.shape.maxFields) return { ok: false, refusal: 'tooManyFields' }
    this.seen.set(check.canonical, count)
    return check
  }
}

/**
 * A shape made on first use. Route modules are bundled for the browser too, where a schema from a
 * `.server` module does not exist: a shape built when the module loads would break the page.
 */
export function lazyShape(make: () => FormShape): () => FormShape {
  let shape: FormShape | undefined
  return () => (shape ??= make())
}

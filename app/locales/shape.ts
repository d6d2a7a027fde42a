/** The same nested keys as the reference locale, every leaf a string. */
export type LocaleShape<T> = {
  [K in keyof T]: T[K] extends string ? string : LocaleShape<T[K]>
}

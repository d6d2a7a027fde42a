/** Kysely's three lines, and a line length that fits a side-by-side diff. */
export default {
  semi: false,
  singleQuote: true,
  trailingComma: 'all',
  printWidth: 100,
}

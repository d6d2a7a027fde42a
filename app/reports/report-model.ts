// The summary report of a round, as data: built once from the database
// (report-model.server.ts), then rendered to PDF and DOCX by renderers that
// know nothing of the database. Every text here is already translated.

export interface CountRow {
  label: string
  count: number
  /** Responses counting each campaign once (a campaign is one text). */
  unique: number
}

export interface ReportTable {
  title: string
  /** Column headings: the label column, then "All responses", then "Unique texts". */
  columns: [string, string, string]
  rows: CountRow[]
}

export interface ReportControlSummary {
  reference: string
  title: string
  /** Counts by position for this control (label = position name). */
  positions: CountRow[]
  /** The approved summary, plain text paragraphs (Markdown already flattened), or null. */
  summary: string[] | null
}

export interface ReportModel {
  /** The report's language, for the document metadata. */
  locale: string
  title: string
  subtitle: string
  /** Dates of the round and of the report, already formatted. */
  period: string
  generatedAt: string
  /** Labels for the fixed headings, translated. */
  labels: {
    method: string
    statistics: string
    controls: string
    tagSummaries: string
    campaigns: string
    respondents: string
    noSummary: string
    total: string
    /** Names the three figures of the totals line: all responses, unique texts, published. */
    totals: string
    page: string
  }
  /** A few paragraphs on how the consultation ran and how the report was made. */
  method: string[]
  totals: { responses: number; uniqueTexts: number; published: number }
  /** By respondent type, by stakeholder group, by country. */
  tables: ReportTable[]
  controls: ReportControlSummary[]
  /** Approved summaries per tag: heading then paragraphs. */
  tagSummaries: { heading: string; paragraphs: string[] }[]
  /** The annex on mass campaigns: one entry per campaign. */
  campaigns: { heading: string; size: number; text: string }[]
  /** Respondents who agreed to be named (organisations and named individuals), NAMED_MAX at most. */
  namedRespondents: string[]
  /** Beyond NAMED_MAX, how many more there are and where to find them; null when all are listed. */
  namedMore: string | null
}

/** The most names the annex lists. */
export const NAMED_MAX = 5000

/** Told by a renderer as it lays the report out: steps done of the total it will take. */
export type LayoutStep = (done: number, total: number) => void

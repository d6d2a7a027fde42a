import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Every timestamp is an ISO 8601 string in UTC ('2026-11-28T23:39:45.000Z'):
// it sorts as text, reads in a dump, and maps to timestamptz later.
type Timestamp = string
// SQLite has no boolean: 0 or 1.
type Flag = ColumnType<number, number | undefined, number>

export type Role = 'participant' | 'official' | 'admin'
export type RespondentType =
  | 'company'
  | 'business_association'
  | 'academic'
  | 'ngo'
  | 'trade_union'
  | 'public_authority'
  | 'individual'
  | 'other'
export type OrganisationSize = 'micro' | 'small' | 'medium' | 'large'
export type Position = 'support' | 'support_with_changes' | 'oppose' | 'no_position'
export type Publication = 'named' | 'anonymous' | 'not_published'
export type ResponseStatus = 'draft' | 'received' | 'published' | 'withheld' | 'spam' | 'withdrawn'
export type SummaryState = 'draft' | 'approved'

export interface UsersTable {
  id: Generated<number>
  email: string
  display_name: string
  password_hash: string
  role: ColumnType<Role, Role | undefined, Role>
  created_at: Timestamp
  updated_at: Timestamp
  disabled_at: Timestamp | null
}

export interface SessionsTable {
  id: string
  user_id: number
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
  user_agent: string | null
}

export interface ConsultationsTable {
  id: Generated<number>
  slug: string
  title: string
  summary: ColumnType<string, string | undefined, string>
  background: ColumnType<string, string | undefined, string>
  /** JSON array of Code of Conduct commitment numbers (1-6). */
  commitments: ColumnType<string, string | undefined, string>
  /** IANA zone in which officials enter and read the round's dates. */
  time_zone: ColumnType<string, string | undefined, string>
  opens_at: Timestamp | null
  closes_at: Timestamp | null
  published_at: Timestamp | null
  archived_at: Timestamp | null
  late_comments_allowed: Flag
  contact_point: ColumnType<string, string | undefined, string>
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  amended_at: Timestamp | null
  report_published_at: Timestamp | null
  /** The generation of campaigns people see (campaign_clusters, campaign_members, buckets). */
  campaign_generation: Generated<number>
  /** The generation a rebuild is writing, while it runs. */
  campaign_building: number | null
  /** 1 once that generation is written: responses join it as they join the one in use. */
  campaign_building_joins: Generated<number>
}

export interface ConsultationDocumentsTable {
  id: Generated<number>
  consultation_id: number
  title: string
  filename: string
  media_type: string
  size_bytes: number
  sha256: string
  /** The file's bytes, in file_blobs. */
  blob_id: number | null
  created_by: number | null
  created_at: Timestamp
}

export interface ControlsTable {
  id: Generated<number>
  consultation_id: number
  position: number
  reference: string
  title: string
  body: ColumnType<string, string | undefined, string>
  created_at: Timestamp
  updated_at: Timestamp
  amended_at: Timestamp | null
}

export interface ControlQuestionsTable {
  id: Generated<number>
  control_id: number
  position: number
  prompt: string
}

export interface ResponsesTable {
  id: Generated<number>
  consultation_id: number
  tracking_number: string
  edit_token_hash: string
  idempotency_key: string | null
  user_id: number | null
  respondent_type: RespondentType
  organisation: string | null
  /** Shown when published with a name (individuals); never the contact name. */
  author_name: string | null
  country: string
  organisation_size: OrganisationSize | null
  register_id: string | null
  contact_name: string | null
  contact_email: string | null
  publication: Publication
  confidential: Flag
  confidential_justification: string | null
  public_version: string | null
  status: ColumnType<ResponseStatus, ResponseStatus | undefined, ResponseStatus>
  moderation_reason: string | null
  is_late: Flag
  submitted_at: Timestamp
  updated_at: Timestamp
  published_at: Timestamp | null
  withdrawn_at: Timestamp | null
  /** An official's decision on a confidentiality claim: 'accepted' or 'refused'. */
  confidential_decision: 'accepted' | 'refused' | null
}

export interface ResponseNotesTable {
  id: Generated<number>
  response_id: number
  author_id: number | null
  body: string
  created_at: Timestamp
}

export interface CampaignClustersTable {
  id: Generated<number>
  consultation_id: number
  generation: Generated<number>
  representative_id: number
  size: number
  updated_at: Timestamp
}

export interface ResponseSignaturesTable {
  response_id: number
  signature: Buffer
}

export interface CampaignBucketsTable {
  consultation_id: number
  generation: number
  band_key: number
  response_id: number
}

/** A response's campaign in one generation of its round's campaigns. */
export interface CampaignMembersTable {
  consultation_id: number
  generation: number
  response_id: number
  cluster_id: number
  /** A near-identical copy, or the template with the response's own text or part of it. */
  kind: Generated<CampaignMemberKind>
}

export type CampaignMemberKind = 'copy' | 'template'

/** Responses written while a rebuild runs, for it to bring into the new generation. */
export interface CampaignPendingTable {
  consultation_id: number
  response_id: number
}

/** Responses per (scope, dimension, key), kept as they change (migration 2026_12_02_000500). */
export interface StatCountsTable {
  consultation_id: number
  scope: 'all' | 'public'
  dimension: string
  key: string
  count: number
}

/** Members of one campaign under one key, in one generation of a round's campaigns. */
export interface StatCampaignsTable {
  consultation_id: number
  generation: number
  cluster_id: number
  scope: 'all' | 'public'
  dimension: string
  key: string
  members: number
}

/** Per key, in one generation: how many campaigns have members there, and how many members. */
export interface StatCampaignKeysTable {
  consultation_id: number
  generation: number
  scope: 'all' | 'public'
  dimension: string
  key: string
  clusters: number
  members: number
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobsTable {
  id: Generated<number>
  kind: string
  consultation_id: number | null
  state: JobState
  /** JSON: what the job was asked for beyond its kind and round (a format, a language). */
  payload: string | null
  /** What the job is doing now: a key of the jobs.phase messages. */
  phase: string | null
  progress_done: Generated<number>
  progress_total: number | null
  /** JSON: what the job made, for its page. */
  result: string | null
  error: string | null
  requested_by: number | null
  attempts: Generated<number>
  cancel_requested: Flag
  worker: string | null
  created_at: Timestamp
  started_at: Timestamp | null
  heartbeat_at: Timestamp | null
  finished_at: Timestamp | null
}

export interface ResponseDraftsTable {
  id: Generated<number>
  user_id: number
  consultation_id: number
  /** The form's fields as the participant left them (JSON). */
  data: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ResponseItemsTable {
  id: Generated<number>
  response_id: number
  control_id: number | null
  position: Position
  body: ColumnType<string, string | undefined, string>
}

export interface ResponseAnswersTable {
  id: Generated<number>
  item_id: number
  question_id: number
  answer: string
}

export interface AttachmentsTable {
  id: Generated<number>
  response_id: number
  filename: string
  media_type: string
  size_bytes: number
  sha256: string
  /** The file's bytes, in file_blobs. */
  blob_id: number | null
  confidential: Flag
  created_at: Timestamp
}

/** 'staged' while its request is read, 'stored' once its response or document is. */
export type BlobState = 'staged' | 'stored'

export interface FileBlobsTable {
  id: Generated<number>
  state: BlobState
  consultation_id: number | null
  size_bytes: ColumnType<number, number | undefined, number>
  sha256: string | null
  created_at: Timestamp
}

export interface FileChunksTable {
  blob_id: number
  seq: number
  data: Buffer
}

/** A file a job made (a report, an export), kept in file_blobs for its download. */
export interface JobOutputsTable {
  id: Generated<number>
  job_id: number
  blob_id: number
  filename: string
  media_type: string
  size_bytes: number
  /** When the job read the data the file holds. */
  created_at: Timestamp
}

export type ThemeState = 'building' | 'proposed' | 'accepted' | 'retired'

export interface ThemesTable {
  id: Generated<number>
  consultation_id: number
  /** The scope the theme was found in: a control, a tag, or (both null) the whole round. */
  control_id: number | null
  scope_tag_id: number | null
  state: ThemeState
  language: string
  /** The official's name for it; null while its key phrases name it. */
  name: string | null
  /** JSON: the theme as its page shows it (ThemeSummary). */
  summary: string
  /** JSON: its centre, { terms, weights }. */
  centre: string
  /** The tag it was accepted as. */
  tag_id: number | null
  /** The job whose generation of theme_members is current. */
  members_job_id: number
  sort_order: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ThemeMembersTable {
  theme_id: number
  job_id: number
  response_id: number
  /** 1 once the theme's tag is on the response (or was, when it was accepted). */
  tagged: Flag
}

export interface TagsTable {
  id: Generated<number>
  consultation_id: number
  parent_id: number | null
  name: string
  description: ColumnType<string, string | undefined, string>
  colour: ColumnType<string, string | undefined, string>
  /** 1-9: the key that applies this tag in the review screens. */
  shortcut: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ResponseTagsTable {
  id: Generated<number>
  response_id: number
  tag_id: number
  item_id: number | null
  excerpt_start: number | null
  excerpt_end: number | null
  quote: string | null
  created_by: number | null
  created_at: Timestamp
}

export interface SummariesTable {
  id: Generated<number>
  consultation_id: number
  control_id: number | null
  tag_id: number | null
  body: ColumnType<string, string | undefined, string>
  state: ColumnType<SummaryState, SummaryState | undefined, SummaryState>
  author_id: number | null
  approved_by: number | null
  approved_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<number>
  actor_id: number | null
  actor_role: string | null
  action: string
  entity_type: string
  entity_id: string | null
  /** JSON of the entity's relevant fields before and after the action. */
  before: string | null
  after: string | null
  created_at: Timestamp
}

export interface RateLimitsTable {
  scope: string
  key_hash: string
  /** Start of the window, in milliseconds since the epoch. */
  window_start: number
  count: number
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  consultations: ConsultationsTable
  consultation_documents: ConsultationDocumentsTable
  controls: ControlsTable
  control_questions: ControlQuestionsTable
  responses: ResponsesTable
  response_notes: ResponseNotesTable
  campaign_clusters: CampaignClustersTable
  response_signatures: ResponseSignaturesTable
  campaign_buckets: CampaignBucketsTable
  campaign_members: CampaignMembersTable
  campaign_pending: CampaignPendingTable
  jobs: JobsTable
  stat_counts: StatCountsTable
  stat_campaigns: StatCampaignsTable
  stat_campaign_keys: StatCampaignKeysTable
  response_drafts: ResponseDraftsTable
  response_items: ResponseItemsTable
  response_answers: ResponseAnswersTable
  attachments: AttachmentsTable
  file_blobs: FileBlobsTable
  file_chunks: FileChunksTable
  job_outputs: JobOutputsTable
  tags: TagsTable
  themes: ThemesTable
  theme_members: ThemeMembersTable
  response_tags: ResponseTagsTable
  summaries: SummariesTable
  audit_log: AuditLogTable
  rate_limits: RateLimitsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Consultation = Selectable<ConsultationsTable>
export type NewConsultation = Insertable<ConsultationsTable>
export type Control = Selectable<ControlsTable>
export type Response = Selectable<ResponsesTable>
export type NewResponse = Insertable<ResponsesTable>
export type Tag = Selectable<TagsTable>
export type Summary = Selectable<SummariesTable>
export type AuditEntry = Selectable<AuditLogTable>

type StorageType = 'integer' | 'text' | 'blob'
type SelectOf<C> = C extends ColumnType<infer S, unknown, unknown> ? S : C
type StorageOf<V> =
  NonNullable<V> extends number ? 'integer' : NonNullable<V> extends string ? 'text' : 'blob'
type ColumnSpec<C> =
  null extends SelectOf<C> ? `${StorageOf<SelectOf<C>>}?` : StorageOf<SelectOf<C>>

/**
 * The storage type and nullability of every column, checked against the
 * interfaces above by the compiler and against a migrated database by a test.
 */
export type SchemaSpec = {
  [T in keyof Database]: { [K in keyof Database[T]]-?: ColumnSpec<Database[T][K]> }
}
export type { StorageType }

export const schemaSpec: SchemaSpec = {
  users: {
    id: 'integer',
    email: 'text',
    display_name: 'text',
    password_hash: 'text',
    role: 'text',
    created_at: 'text',
    updated_at: 'text',
    disabled_at: 'text?',
  },
  sessions: {
    id: 'text',
    user_id: 'integer',
    created_at: 'text',
    last_seen_at: 'text',
    expires_at: 'text',
    user_agent: 'text?',
  },
  consultations: {
    id: 'integer',
    slug: 'text',
    title: 'text',
    summary: 'text',
    background: 'text',
    commitments: 'text',
    time_zone: 'text',
    opens_at: 'text?',
    closes_at: 'text?',
    published_at: 'text?',
    archived_at: 'text?',
    late_comments_allowed: 'integer',
    contact_point: 'text',
    created_by: 'integer?',
    created_at: 'text',
    updated_at: 'text',
    amended_at: 'text?',
    report_published_at: 'text?',
    campaign_generation: 'integer',
    campaign_building: 'integer?',
    campaign_building_joins: 'integer',
  },
  consultation_documents: {
    id: 'integer',
    consultation_id: 'integer',
    title: 'text',
    filename: 'text',
    media_type: 'text',
    size_bytes: 'integer',
    sha256: 'text',
    blob_id: 'integer?',
    created_by: 'integer?',
    created_at: 'text',
  },
  controls: {
    id: 'integer',
    consultation_id: 'integer',
    position: 'integer',
    reference: 'text',
    title: 'text',
    body: 'text',
    created_at: 'text',
    updated_at: 'text',
    amended_at: 'text?',
  },
  control_questions: {
    id: 'integer',
    control_id: 'integer',
    position: 'integer',
    prompt: 'text',
  },
  responses: {
    id: 'integer',
    consultation_id: 'integer',
    tracking_number: 'text',
    edit_token_hash: 'text',
    idempotency_key: 'text?',
    user_id: 'integer?',
    respondent_type: 'text',
    organisation: 'text?',
    author_name: 'text?',
    country: 'text',
    organisation_size: 'text?',
    register_id: 'text?',
    contact_name: 'text?',
    contact_email: 'text?',
    publication: 'text',
    confidential: 'integer',
    confidential_justification: 'text?',
    public_version: 'text?',
    status: 'text',
    moderation_reason: 'text?',
    is_late: 'integer',
    submitted_at: 'text',
    updated_at: 'text',
    published_at: 'text?',
    withdrawn_at: 'text?',
    confidential_decision: 'text?',
  },
  response_notes: {
    id: 'integer',
    response_id: 'integer',
    author_id: 'integer?',
    body: 'text',
    created_at: 'text',
  },
  campaign_clusters: {
    id: 'integer',
    consultation_id: 'integer',
    generation: 'integer',
    representative_id: 'integer',
    size: 'integer',
    updated_at: 'text',
  },
  response_signatures: {
    response_id: 'integer',
    signature: 'blob',
  },
  campaign_buckets: {
    consultation_id: 'integer',
    generation: 'integer',
    band_key: 'integer',
    response_id: 'integer',
  },
  campaign_members: {
    consultation_id: 'integer',
    generation: 'integer',
    response_id: 'integer',
    cluster_id: 'integer',
    kind: 'text',
  },
  campaign_pending: {
    consultation_id: 'integer',
    response_id: 'integer',
  },
  stat_counts: {
    consultation_id: 'integer',
    scope: 'text',
    dimension: 'text',
    key: 'text',
    count: 'integer',
  },
  stat_campaigns: {
    consultation_id: 'integer',
    generation: 'integer',
    cluster_id: 'integer',
    scope: 'text',
    dimension: 'text',
    key: 'text',
    members: 'integer',
  },
  stat_campaign_keys: {
    consultation_id: 'integer',
    generation: 'integer',
    scope: 'text',
    dimension: 'text',
    key: 'text',
    clusters: 'integer',
    members: 'integer',
  },
  jobs: {
    id: 'integer',
    kind: 'text',
    consultation_id: 'integer?',
    state: 'text',
    payload: 'text?',
    phase: 'text?',
    progress_done: 'integer',
    progress_total: 'integer?',
    result: 'text?',
    error: 'text?',
    requested_by: 'integer?',
    attempts: 'integer',
    cancel_requested: 'integer',
    worker: 'text?',
    created_at: 'text',
    started_at: 'text?',
    heartbeat_at: 'text?',
    finished_at: 'text?',
  },
  response_drafts: {
    id: 'integer',
    user_id: 'integer',
    consultation_id: 'integer',
    data: 'text',
    created_at: 'text',
    updated_at: 'text',
  },
  response_items: {
    id: 'integer',
    response_id: 'integer',
    control_id: 'integer?',
    position: 'text',
    body: 'text',
  },
  response_answers: {
    id: 'integer',
    item_id: 'integer',
    question_id: 'integer',
    answer: 'text',
  },
  attachments: {
    id: 'integer',
    response_id: 'integer',
    filename: 'text',
    media_type: 'text',
    size_bytes: 'integer',
    sha256: 'text',
    blob_id: 'integer?',
    confidential: 'integer',
    created_at: 'text',
  },
  file_blobs: {
    id: 'integer',
    state: 'text',
    consultation_id: 'integer?',
    size_bytes: 'integer',
    sha256: 'text?',
    created_at: 'text',
  },
  file_chunks: {
    blob_id: 'integer',
    seq: 'integer',
    data: 'blob',
  },
  job_outputs: {
    id: 'integer',
    job_id: 'integer',
    blob_id: 'integer',
    filename: 'text',
    media_type: 'text',
    size_bytes: 'integer',
    created_at: 'text',
  },
  tags: {
    id: 'integer',
    consultation_id: 'integer',
    parent_id: 'integer?',
    name: 'text',
    description: 'text',
    colour: 'text',
    shortcut: 'integer?',
    created_at: 'text',
    updated_at: 'text',
  },
  themes: {
    id: 'integer',
    consultation_id: 'integer',
    control_id: 'integer?',
    scope_tag_id: 'integer?',
    state: 'text',
    language: 'text',
    name: 'text?',
    summary: 'text',
    centre: 'text',
    tag_id: 'integer?',
    members_job_id: 'integer',
    sort_order: 'integer',
    created_at: 'text',
    updated_at: 'text',
  },
  theme_members: {
    theme_id: 'integer',
    job_id: 'integer',
    response_id: 'integer',
    tagged: 'integer',
  },
  response_tags: {
    id: 'integer',
    response_id: 'integer',
    tag_id: 'integer',
    item_id: 'integer?',
    excerpt_start: 'integer?',
    excerpt_end: 'integer?',
    quote: 'text?',
    created_by: 'integer?',
    created_at: 'text',
  },
  summaries: {
    id: 'integer',
    consultation_id: 'integer',
    control_id: 'integer?',
    tag_id: 'integer?',
    body: 'text',
    state: 'text',
    author_id: 'integer?',
    approved_by: 'integer?',
    approved_at: 'text?',
    created_at: 'text',
    updated_at: 'text',
  },
  audit_log: {
    id: 'integer',
    actor_id: 'integer?',
    actor_role: 'text?',
    action: 'text',
    entity_type: 'text',
    entity_id: 'text?',
    before: 'text?',
    after: 'text?',
    created_at: 'text',
  },
  rate_limits: {
    scope: 'text',
    key_hash: 'text',
    window_start: 'integer',
    count: 'integer',
  },
}

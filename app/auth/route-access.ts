import type { Role } from '#db/schema.ts'

/**
 * Who may load each route: 'public' (anyone), 'anonymous' (signed-out
 * visitors; signed-in ones are sent on), 'user' (any signed-in account), or a
 * role (that role or a higher one). Every route module must be listed: a test
 * loads each one as an anonymous visitor, a participant, an official and an
 * admin, and checks the outcome against this table.
 */
export type Access = 'public' | 'anonymous' | 'user' | Exclude<Role, 'participant'>

export const routeAccess = {
  'routes/_index': 'public',
  'routes/$': 'public',
  'routes/privacy': 'public',
  'routes/healthz': 'public',
  'routes/consultations._index': 'public',
  'routes/consultations.$slug': 'public',
  'routes/consultations.$slug_.responses': 'public',
  'routes/consultations.$slug_.documents.$documentId': 'public',
  'routes/consultations.$slug_.respond': 'public',
  'routes/consultations.$slug_.report[.]pdf': 'public',
  'routes/api.v1.consultations._index': 'public',
  'routes/api.v1.consultations.$slug': 'public',
  'routes/api.v1.consultations.$slug_.comments': 'public',
  'routes/api.v1.consultations.$slug_.statistics': 'public',
  // A response's pages check its private key or its author's session themselves.
  'routes/responses.$trackingNumber': 'public',
  'routes/responses.$trackingNumber_.edit': 'public',
  'routes/responses.$trackingNumber_.attachments.$attachmentId': 'public',
  'routes/signin': 'anonymous',
  'routes/signup': 'anonymous',
  'routes/signout': 'public',
  'routes/account': 'user',
  'routes/admin.users': 'admin',
  'routes/admin.audit': 'admin',
  'routes/manage.rounds.$id_.responses': 'official',
  'routes/manage.rounds.$id_.tags': 'official',
  'routes/manage.rounds.$id_.campaigns': 'official',
  'routes/manage.rounds.$id_.analysis': 'official',
  'routes/manage.rounds.$id_.themes': 'official',
  'routes/manage.rounds.$id_.export': 'official',
  'routes/manage.campaigns.$clusterId': 'official',
  'routes/manage.jobs.$id': 'official',
  'routes/manage.jobs.$id_.download': 'official',
  'routes/manage.responses.$responseId': 'official',
  'routes/manage.responses.$responseId_.attachments.$attachmentId': 'official',
  'routes/manage._index': 'official',
  'routes/manage.rounds.new': 'official',
  'routes/manage.rounds.$id': 'official',
  'routes/manage.rounds.$id_.controls.new': 'official',
  'routes/manage.rounds.$id_.controls.$controlId': 'official',
} as const satisfies Record<string, Access>

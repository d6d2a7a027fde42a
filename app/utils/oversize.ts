/** The media type given to an uploaded file that was over the limit: its bytes were not kept. */
export const OVERSIZE_TYPE = 'application/x-portal-oversize'

import { useTranslation } from 'react-i18next'
import type { ConsultationStatus } from '#app/models/consultation-status.ts'

/** A round's status as a coloured label (the colour is never the only cue). */
export function StatusTag({ status }: { status: ConsultationStatus }) {
  const { t } = useTranslation()
  return <strong className={`tag tag--${status}`}>{t(`status.${status}`)}</strong>
}

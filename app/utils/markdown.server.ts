import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/**
 * Markdown to HTML that is safe to inject: micromark escapes raw HTML and
 * drops dangerous link protocols (javascript:, data:, vbscript:) unless told
 * otherwise, and we never tell it otherwise.
 */
export function renderMarkdown(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: false,
    allowDangerousProtocol: false,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  })
}

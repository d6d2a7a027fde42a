// English: the reference language. Every other locale must have the same keys
// (a unit test checks), so nothing falls back silently.
const en = {
  meta: {
    siteName: 'Export Controls and Human Rights Consultations',
    description:
      'Public consultations on proposed export controls on surveillance and other technologies that can be misused for human rights abuses.',
  },
  layout: {
    skipLink: 'Skip to main content',
    serviceName: 'Export Controls and Human Rights Consultations',
    navLabel: 'Main',
    navConsultations: 'Consultations',
    navPrivacy: 'Privacy',
    languageLabel: 'Language',
    timesShownIn: 'Times are shown in {{zone}}.',
    footerLabel: 'Site information',
    footerAbout:
      'Consultations held under commitment 2 of the Code of Conduct of the Export Controls and Human Rights Initiative: to consult the private sector, academia and civil society on human rights concerns and the effective implementation of export controls.',
    footerPrivacy: 'Privacy notice',
    footerOpenSource: 'Open-source software. No tracking, no third-party scripts or fonts.',
  },
  languages: {
    en: 'English',
    fr: 'Français',
  },
  status: {
    draft: 'Draft',
    upcoming: 'Opens soon',
    open: 'Open for comment',
    closed: 'Closed',
    archived: 'Archived',
  },
  home: {
    title: 'Have your say on export controls and human rights',
    intro:
      'Governments that subscribe to the Export Controls and Human Rights Initiative consult companies, business associations, researchers and civil society before they control the export of technologies that can be misused for surveillance and repression. Read the proposed controls and tell us what you think.',
    openHeading: 'Open for comment',
    upcomingHeading: 'Opening soon',
    closedHeading: 'Closed consultations',
    noneOpen: 'No consultation is open for comment at the moment.',
    noneUpcoming: 'No consultation is scheduled.',
    noneClosed: 'No consultation has closed yet.',
    closes: 'Closes <time>{{date}}</time> ({{relative}})',
    opens: 'Opens <time>{{date}}</time>',
    closed: 'Closed <time>{{date}}</time>',
    controlCount_one: '{{count}} proposed control',
    controlCount_other: '{{count}} proposed controls',
    responseCount_one: '{{count}} published response',
    responseCount_other: '{{count}} published responses',
  },
  time: {
    left: '{{relative}}',
    closedAgo: 'closed {{relative}}',
  },
  round: {
    statusLabel: 'Status',
    opensLabel: 'Opens',
    closesLabel: 'Closes',
    timeLeft: 'Time left: {{relative}}',
    lateAllowed: 'Late responses are accepted and marked as late.',
    contactLabel: 'Contact point',
    commitmentsLabel: 'Code of Conduct commitments',
    commitment_1: '1. Domestic tools to control exports to end users who could misuse them',
    commitment_2: '2. Consult the private sector, academia and civil society',
    commitment_3: '3. Share information on emerging threats and risks',
    commitment_4: '4. Share and implement best practices',
    commitment_5: '5. Encourage private-sector due diligence',
    commitment_6: '6. Build capacity in non-subscribing states',
    backgroundHeading: 'Background',
    controlsHeading: 'Proposed controls',
    controlReference: 'Reference {{reference}}',
    questionsHeading: 'Questions',
    noControls: 'No proposed control has been added yet.',
    contentsLabel: 'Contents',
  },
  privacy: {
    title: 'Privacy notice',
    lead: 'Some of the people who respond to these consultations are human-rights defenders whose own governments watch them. We built this service to collect as little about you as we can, and to publish only what you choose.',
    collectHeading: 'What we collect',
    collectBody:
      'Your response and the details you give about who you are responding for: respondent type, organisation, country and, if you wish, a contact name and email address. If you create an account, your email address, your name and a salted hash of your password.',
    publishHeading: 'What we publish',
    publishBody:
      'Only what you chose when you responded: your response with your name or organisation, your response without any name, or nothing at all. Contact details are never published. If you mark material as business-confidential, only the non-confidential version you provide can ever be published.',
    notCollectHeading: 'What we do not collect',
    notCollectBody:
      'We store no IP addresses: protection against abuse uses a keyed hash that changes regularly. We use no analytics, advertising or tracking, and load no fonts, scripts or images from other sites. The only cookies are the ones the service needs: your session if you sign in, your language and your time zone.',
    accessHeading: 'Who can see your response',
    accessBody:
      'Officials of the consulting authority who run the consultation. Every action they take on a response is recorded in an audit log.',
    rightsHeading: 'Your choices',
    rightsBody:
      'Until a consultation closes you can edit or withdraw your response with the private link on your receipt. You can delete your account at any time: responses you submitted stay part of the public record as you chose to publish them, but no longer link to you.',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundBody:
      'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
    forbiddenTitle: 'You do not have access to this page',
    forbiddenBody: 'Sign in with an account that has access, or go back to the home page.',
    serverTitle: 'Sorry, there is a problem with the service',
    serverBody:
      'Try again later. What you typed has not been saved if the problem happened while sending a form.',
    genericTitle: 'Something went wrong',
    statusCode: 'Error {{status}}',
    backHome: 'Go to the home page',
  },
}

export default en
export type Translation = typeof en

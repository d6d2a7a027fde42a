/**
 * Demo data for the consultation portal: one consultation round under the
 * Export Controls and Human Rights Initiative (ECHRI) Code of Conduct and a set
 * of sample responses.
 *
 * The facts about the Initiative, the Code of Conduct and the Joint Statement on
 * commercial spyware are real. The consulting authority, the draft control
 * items, every organisation, every person and every response are fictional.
 * Contact details use reserved example domains only.
 *
 * Plain data: no imports and no I/O.
 */

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
export type ResponseStatus = 'received' | 'published' | 'withheld' | 'spam'

export interface DemoControl {
  reference: string // e.g. 'Draft item 1' or a control-list style entry such as '4A005' / '5A001.j'
  title: string
  body: string // Markdown: the proposed control's text (scope, definitions, licensing requirement, exclusions)
  questions: string[] // 2-3 questions respondents are asked about this control
}

export interface DemoRound {
  slug: string
  title: string
  summary: string // 1-2 sentences, plain text
  background: string // Markdown
  commitments: number[] // Code of Conduct commitments the round serves
  contactPoint: string
  controls: DemoControl[]
}

export interface DemoItem {
  control: number | null // index into demoRound.controls, or null for a comment on the round as a whole
  position: Position
  body: string // the comment text
  answers: string[] // answers to that control's questions, same order; [] when control is null; '' for unanswered
}

export interface DemoResponse {
  respondentType: RespondentType
  organisation: string | null // required for every type except 'individual'
  country: string // ISO 3166-1 alpha-2
  organisationSize: OrganisationSize | null // null for individuals
  registerId: string | null // transparency-register-style number, for a few organisations
  contactName: string | null
  contactEmail: string | null
  publication: Publication
  confidential: { justification: string; publicVersion: string } | null
  status: ResponseStatus
  daysAgo: number // submission time relative to seeding, in days
  items: DemoItem[]
}

export const demoRound: DemoRound = {
  slug: 'surveillance-technology-controls-2026',
  title:
    'Export controls on surveillance technologies and human-rights due diligence: draft items for consultation (2026)',
  summary:
    'We are seeking views on draft export controls for commercial spyware, biometric identification systems and IP network surveillance, and on draft human-rights due-diligence guidance for exporters. Companies, researchers, civil society and members of the public in any country are invited to respond.',
  background:
    '## About the Initiative\n\nThe Export Controls and Human Rights Initiative was announced in December 2021 by the United States, Australia, Denmark and Norway to address the misuse of certain advanced technologies by authoritarian governments for surveillance and other human-rights abuses. The group of Subscribing States has since grown to 24: Albania, Australia, Bulgaria, Canada, Croatia, Czechia, Denmark, Ecuador, Estonia, Finland, France, Germany, Japan, Kosovo, Latvia, the Netherlands, New Zealand, North Macedonia, Norway, the Republic of Korea, Slovakia, Spain, the United Kingdom and the United States.\n\nOn 30 March 2023, at the second Summit for Democracy, the Subscribing States endorsed a voluntary Code of Conduct. Under **commitment 2** they undertake to consult the private sector, academia and civil society on human-rights concerns and on the effective implementation of export control measures. This consultation is carried out under that commitment. It also serves commitment 1, on keeping legal, regulatory, policy and enforcement tools appropriate and up to date, and commitment 5, on encouraging private-sector due diligence in line with the UN Guiding Principles on Business and Human Rights.\n\n## Why these technologies\n\nOn the same day, the White House released a Joint Statement on Efforts to Counter the Proliferation and Misuse of Commercial Spyware, in which a group of governments recognised the threat posed by the misuse of commercial spyware and the need for strict domestic and international controls on such technology. This consultation covers three draft control items (commercial spyware and intrusion software, biometric identification systems, and IP network communications surveillance) and draft due-diligence guidance for exporters.\n\n## How to respond\n\nYou may comment on one or more draft items, or on the consultation as a whole. Each item lists specific questions; answer as many or as few as you wish. Responses in any language are welcome.\n\n## How responses will be used and published\n\nEvery response will be read. We will publish a summary of responses and explain how they have informed the final text. Organisations are published by name unless they ask otherwise; individuals choose whether their name is shown. You may ask for your response to be published anonymously or not at all, and companies may mark a response as business-confidential and supply a public version. We never publish contact details, and we withhold personal data about third parties and off-topic or promotional content.',
  commitments: [1, 2, 5],
  contactPoint: 'Export Control Policy Unit, consultations@example.org',
  controls: [
    {
      reference: 'Draft item 1',
      title: 'Commercial spyware and intrusion software',
      body: '**Scope.** Intrusion software, and systems, equipment and software specially designed or modified for the generation, delivery, command and control of intrusion software, whether supplied as a product or as a service, including spyware-as-a-service and managed access offerings.\n\n**Definitions.** *Intrusion software* means software specially designed or modified to avoid detection by monitoring tools, or to defeat protective countermeasures, of a computer or network-capable device, and which extracts data, modifies system or user data, or modifies the standard execution path of a program to allow the execution of externally provided instructions. *Zero-click delivery* means delivery of intrusion software without any interaction by the targeted user.\n\n**Licensing requirement.** A licence is required for the export, transfer and brokering of items in scope, and for the provision of technical assistance related to them, to any destination. Applications must identify the end user, the intended end use and the legal authority under which the end user operates.\n\n**Exclusions.** This item does not control:\n\n- (a) software and technology for coordinated vulnerability disclosure or incident response;\n- (b) penetration-testing tools used under the authorisation of the system owner;\n- (c) items in the public domain and published open-source software;\n- (d) basic scientific research.',
      questions: [
        'Are the definition of intrusion software and the exclusions for vulnerability research, penetration testing and coordinated vulnerability disclosure sufficiently clear? Please suggest wording where they are not.',
        'Should the provision of spyware-as-a-service and of technical assistance (for example remote operation or exploit updates) be controlled in the same way as the export of software?',
        'What would be a realistic licence turnaround time for applications under this item, and what information could exporters provide up front to shorten it?',
      ],
    },
    {
      reference: 'Draft item 2',
      title: 'Facial-recognition and biometric identification systems',
      body: '**Scope.** Systems, software and technology specially designed for the automated identification of natural persons from facial images, gait, voice or other biometric features, including biometric template databases, enrolment services and matching engines supplied as a product or as a cloud service.\n\n**Definitions.** *Remote biometric identification* means the identification of persons at a distance and without their active involvement, by comparing their biometric data with data held in a reference database. *Real-time* means that capture, comparison and identification occur without significant delay.\n\n**Licensing requirement.** A licence is required for the export of:\n\n- (a) systems capable of real-time remote identification of persons in publicly accessible spaces;\n- (b) biometric template databases, or enrolment services, holding data on more than [threshold to be set following this consultation] persons;\n- (c) technology for the development or integration of items in (a) or (b).\n\n**Exclusions.** Not controlled: one-to-one verification systems in which the person actively presents themselves to confirm a claimed identity, such as device unlocking or account log-in; consumer products in which templates are stored only on the device.',
      questions: [
        'Is the distinction between remote identification and one-to-one verification workable in practice?',
        'Should biometric template databases and enrolment services be controlled separately from matching software?',
        'What threshold, if any, should trigger the licensing requirement for template databases?',
      ],
    },
    {
      reference: 'Draft item 3',
      title:
        'IP network communications surveillance (monitoring centres and deep packet inspection)',
      body: "**Scope.** Systems, equipment and software specially designed for the surveillance of communications carried over internet protocol (IP) networks, including monitoring centres and deep packet inspection (DPI) platforms, and technology for their development.\n\n**Definitions.** A *monitoring centre* is a facility or system that receives, stores, analyses or displays intercepted communications content or metadata. *Deep packet inspection* means examination of packet payloads beyond the headers needed for routing.\n\n**Licensing requirement.** A licence is required for items that operate on a carrier-class IP network and perform one or more of the following: (1) analysis at the application layer; (2) extraction and indexing of content or metadata relating to identifiable persons; (3) mapping of the relational networks of individuals or groups.\n\n**Exclusions.** Not controlled: items designed solely for network management, quality of service, billing or traffic engineering; security products whose sole function is to protect the network operator's own networks against malicious traffic.\n\n**Lawful interception (options for consultation).**\n\n- *Option A:* handover interfaces conforming to recognised lawful-interception technical standards are excluded.\n- *Option B:* no exclusion; such interfaces are authorised under a general licence conditional on end-user reporting, and individual licences are required for monitoring centres.",
      questions: [
        'Should lawful-interception handover interfaces be excluded (Option A) or authorised under a general licence with end-user reporting (Option B)? Please explain.',
        'Do the technical criteria (a carrier-class network plus application-layer analysis, person-linked indexing or relational mapping) adequately separate network-management and security products from surveillance systems?',
      ],
    },
    {
      reference: 'Draft item 4 (guidance)',
      title: 'Human-rights due diligence and end-user screening guidance for exporters',
      body: "**Purpose.** This draft guidance sets out what the authority expects of exporters of items in Draft items 1 to 3, and of unlisted items that could be used for the surveillance of individuals, when they assess the risk that an end user will misuse them for serious violations or abuses of human rights. It implements commitment 5 of the Code of Conduct and follows the UN Guiding Principles on Business and Human Rights.\n\n**Screening steps.**\n\n1. Identify the end user, the end use and any intermediaries, including the agency that will operate the system.\n2. Assess the destination's legal framework for surveillance: independent authorisation, oversight and access to remedy.\n3. Check for red flags, including credible reports that the end user has targeted journalists, lawyers, human-rights defenders or political opponents; refusal to provide an end-use statement; unusual customisation requests; and delivery through unexplained intermediaries.\n4. Apply contractual safeguards such as end-use clauses, audit rights and the right to suspend support and updates.\n\n**Unlisted items.** Where an exporter becomes aware that an unlisted item may be intended for such misuse, it is encouraged to consult the authority before proceeding.\n\n**Records.** Exporters should keep a record of their assessment and make it available to the authority on request.",
      questions: [
        'Are the red flags listed in the guidance appropriate and complete?',
        'How should the guidance be adapted for small and medium-sized enterprises and for universities and research institutions?',
        'Should the authority publish aggregate information on licence decisions, including refusals on human-rights grounds, and at what level of detail?',
      ],
    },
  ],
}

/**
 * 50 sample responses. Indices 24, 25, 27, 28, 30, 31, 33 and 34 are a
 * "Stop the spyware trade" form-letter campaign on Draft item 1.
 */
export const demoResponses: DemoResponse[] = [
  {
    respondentType: 'company',
    organisation: 'Helix Vision Systems ApS',
    country: 'DK',
    organisationSize: 'medium',
    registerId: '418273650912-07',
    contactName: 'Mette Lindqvist',
    contactEmail: 'mette.lindqvist@example.com',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 19.6,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'Helix Vision develops face-matching software for access control in hospitals, data centres and logistics sites. We support a licence requirement for systems capable of real-time remote identification in publicly accessible spaces, and we already decline that type of project. Our concern is that the line the draft draws between identification and verification does not fit access control. Our systems perform one-to-many matching, but only against a closed gallery of employees who have enrolled voluntarily, and only at a door they choose to approach. Read literally, Draft item 2 would catch every such installation.\n\nWe propose an additional exclusion for closed-set systems where (i) the gallery consists only of persons who have enrolled with informed consent, (ii) the system is operated by the site owner, and (iii) matching is triggered by the person presenting themselves. Indicative technical parameters, such as maximum capture distance or the ability to ingest third-party video streams, would also help exporters to self-classify.',
        answers: [
          'Only with an explicit category for closed-set, consent-based access control; see our proposed wording above.',
          'Yes. Template databases and enrolment services create risk independently of the matching software and should be assessed separately.',
          "Rather than a number of persons, we suggest a test based on the source of the data: any database built from images collected without the data subjects' participation (CCTV footage, images scraped online) should be licensable regardless of size.",
        ],
      },
      {
        control: 3,
        position: 'support',
        body: 'We welcome the guidance. As a medium-sized company we have no dedicated human-rights team, so a standard end-use statement and a model risk questionnaire for distributors would be the most useful additions. We would also ask the authority to confirm that the proper use of such templates, together with our own checks, will be taken into account when it assesses whether an exporter has exercised due diligence.',
        answers: [
          'A good start. Please add: requests to disable audit logging, and distributors that cannot name the final installation site.',
          'Templates, a short checklist for low-risk transactions and an advice line that can give informal classification guidance within days rather than weeks.',
          'Yes. Aggregate figures by item and destination region would be useful to industry as well as to the public.',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Nordic Digital Rights Alliance',
    country: 'NO',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Sigrid Aasen',
    contactEmail: 'sigrid.aasen@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 19.1,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We strongly support bringing commercial spyware under licensing, but the draft controls the software while much of the market now sells access. Under the spyware-as-a-service model the client receives a dashboard, while the vendor maintains the exploit chain, the infection infrastructure and the exfiltration servers. Draft item 1 must make clear that providing such a service, supplying exploit updates and giving remote technical assistance to a foreign end user each require a licence, wherever the servers are located.\n\nWe also ask for (1) a catch-all, so that unlisted items intended for targeting journalists, lawyers and human-rights defenders require a licence once the exporter is aware of that risk; (2) controls on brokering and on the sale of zero-click exploits to intermediaries; and (3) publication of every licence decision under this item, including refusals, with destination country and end-user category.',
        answers: [
          'Broadly, but "basic scientific research" must not cover the development of deployable exploit chains commissioned by a government client.',
          'Yes. The service model is now the dominant one and must be controlled in exactly the same way.',
          'We do not object to a target turnaround time, provided applications involving state security services are never subject to tacit approval.',
        ],
      },
      {
        control: 2,
        position: 'oppose',
        body: 'We oppose Option A. A blanket exclusion for lawful-interception handover interfaces assumes that interception is lawful simply because the law of the importing state requires operators to enable it. In many destinations that law provides no independent authorisation, no notification and no remedy. The carve-out would turn the most sensitive component of a monitoring centre into an uncontrolled item. Option B is the minimum acceptable; we would prefer individual licences for any delivery to a monitoring centre.',
        answers: [
          'Option B at the very least; ideally individual licences for any supply to a monitoring centre.',
          'The criteria must be applied to the system as delivered, including modules supplied separately or later; otherwise vendors will split functions across products.',
        ],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Kestrel University, Centre for Cyber Policy',
    country: 'GB',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Dr Helen Marsh',
    contactEmail: 'helen.marsh@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 18.4,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'Our comments concern the definition of intrusion software and its interaction with teaching and research. The definition turns on software "specially designed or modified to avoid detection by monitoring tools, or to defeat protective countermeasures". Much ordinary security research does exactly that: proof-of-concept exploits, fuzzing harnesses and sandbox-escape demonstrations presented at academic conferences. The exclusion for basic scientific research does not help, because most of this work is applied rather than basic.\n\nWe recommend (a) an explicit exclusion for research whose results are intended for publication or for disclosure to the affected vendor through coordinated vulnerability disclosure; (b) guidance confirming that teaching an international cohort of students is not an export of technology, provided no deployable tool is supplied to a specific end user; and (c) focusing the control on delivery and command-and-control infrastructure, where the difference between research and operational spyware is clearest.',
        answers: [
          'No. See our proposed exclusions (a) to (c).',
          'Yes, and the service element is where academic research is least likely to be caught by mistake.',
          '',
        ],
      },
      {
        control: 3,
        position: 'support_with_changes',
        body: 'Universities are exporters too, but few have the compliance structures that companies take for granted. The guidance should say explicitly that it applies to research institutions, and should suggest proportionate measures: a named export-control contact in each institution, screening of collaborations with security agencies in third countries, and a light-touch procedure for routine international co-authorship. Without this, the burden will fall on individual researchers, who are least equipped to carry it.',
        answers: [
          '',
          'Ask institutions to designate a contact point, provide free training for research groups, and publish worked examples drawn from academic collaborations.',
          'Yes, in aggregate form.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Aurora Secure Labs Oy',
    country: 'FI',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Jussi Karvonen',
    contactEmail: 'jussi.karvonen@example.com',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 17.8,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We are a penetration-testing and red-team firm. We support controls on spyware sold to governments, but exclusion (b) is drafted around the use, not the item: we cannot know at the time of export how every copy of our tooling will be used. We also routinely send working exploits to software vendors in other countries as part of coordinated vulnerability disclosure, sometimes before a patch exists. If that required a licence with an uncertain turnaround, we would simply stop reporting to foreign vendors, and users everywhere would be less secure.\n\nWe ask for: a general licence for transfers of exploits to the vendor of the affected product or to a national CSIRT; an item-based exclusion for command-and-control frameworks that lack persistence and stealth features aimed at the covert surveillance of individuals; and a published target of ten working days for individual licences under this item.',
        answers: [
          'Not yet. The penetration-testing exclusion should be item-based, and disclosure to vendors should be covered by a general licence.',
          'Yes. Operating an implant on behalf of a client is the core of the spyware business and has nothing in common with authorised testing.',
          "Ten working days for standard cases. Exporters could supply the client contract, the scope of engagement and the system owner's authorisation letter with the application.",
        ],
      },
    ],
  },
  {
    respondentType: 'business_association',
    organisation: 'European Association of Security Technology Providers',
    country: 'BE',
    organisationSize: 'large',
    registerId: '712094836152-31',
    contactName: 'Laurent Dufresne',
    contactEmail: 'policy@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 17.2,
    items: [
      {
        control: null,
        position: 'support_with_changes',
        body: 'The Association supports the objectives of the Initiative and of the Code of Conduct. Our members manufacture video systems, network equipment and forensic tools in most Subscribing States. Our principal concern is divergence. If each Subscribing State adopts its own wording for the same technologies, exporters will face different classification outcomes for identical products, and buyers will simply source from non-subscribing states. We therefore urge the authority to align definitions with existing multilateral control-list entries wherever possible, to coordinate the final text with other Subscribing States before adoption, and to introduce a general licence for transfers between Subscribing States. We also ask for a transition period of at least twelve months after publication of the final text, and for a public commitment on licence processing times with regular reporting against it.',
        answers: [],
      },
      {
        control: 2,
        position: 'support_with_changes',
        body: 'On Draft item 3, the technical criteria should be cumulative and product-based. Equipment used by operators for traffic management, capacity planning, anti-fraud and DDoS mitigation inspects packets but does not index content against identifiable persons. As drafted, application-layer analysis alone would bring it into scope. We support Option A for standardised lawful-interception interfaces, which operators are legally obliged to provide in most jurisdictions.',
        answers: [
          'Option A, combined with the end-user screening described in Draft item 4.',
          'Only if the criteria are applied cumulatively and "carrier-class" is defined.',
        ],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'EE',
    organisationSize: null,
    registerId: null,
    contactName: 'Kadri Tamm',
    contactEmail: 'kadri.tamm@example.net',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 16.5,
    items: [
      {
        control: 0,
        position: 'oppose',
        body: 'I am an independent vulnerability researcher. I oppose Draft item 1 in its current form, not because spyware should be freely traded, but because the definition targets the wrong thing. Exploits, fuzzers and post-exploitation tooling are the everyday tools of defenders. I sell none of it to governments, but I do report bugs to vendors, publish write-ups and release tools on public code repositories. Each of those would now require me to decide whether I am "exporting intrusion software". Most independent researchers cannot afford legal advice and will simply stop publishing.\n\nIf the aim is to stop companies selling zero-click exploit chains and surveillance implants to security services, control the transaction: license the supply of intrusion capabilities and related services to government or government-linked end users, and leave research, disclosure and open-source publication alone. That would catch the spyware vendors without catching people like me.',
        answers: [
          'No. The definition captures most offensive security research. Control supply to government end users instead.',
          'Yes. This is the part I fully support.',
          '',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Réseau pour la défense de la presse libre',
    country: 'FR',
    organisationSize: 'medium',
    registerId: '593820147366-12',
    contactName: 'Claire Moreau',
    contactEmail: 'claire.moreau@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 15.9,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: "Notre réseau accompagne des journalistes dont les téléphones ont été compromis par des logiciels espions commerciaux. Nous soutenons le projet d'article 1, mais il doit aller plus loin. Les attaques « zéro clic » ne laissent aucune chance à la victime : ni lien à éviter, ni pièce jointe à ne pas ouvrir. La seule protection réaliste consiste à empêcher que ces outils soient vendus à des autorités qui s'en servent contre la presse.\n\nNous demandons : (1) une présomption de refus pour tout utilisateur final ayant, de manière crédible, ciblé des journalistes ; (2) l'inclusion explicite des offres de logiciels espions « en tant que service » et de l'assistance technique à distance ; (3) la publication, au moins annuelle, des décisions d'octroi et de refus de licence, par pays de destination et par type d'utilisateur final. La transparence n'est pas un luxe : sans elle, ni les journalistes ni les parlements ne peuvent vérifier que le contrôle fonctionne.",
        answers: [
          "Globalement oui, à condition que l'exclusion pour la recherche ne puisse pas servir de paravent à des entreprises qui développent des chaînes d'exploits pour des clients étatiques.",
          'Oui, sans aucune différence de traitement.',
          "Nous n'avons pas d'objection à des délais courts, mais jamais d'approbation tacite.",
        ],
      },
      {
        control: 3,
        position: 'support_with_changes',
        body: "Les lignes directrices devraient exiger, et non seulement encourager, une diligence raisonnable conforme aux Principes directeurs des Nations unies relatifs aux entreprises et aux droits de l'homme. Les exportateurs devraient consulter des organisations de la société civile du pays de destination lorsqu'ils évaluent les risques. Les signaux d'alerte devraient inclure les antécédents de surveillance de journalistes par l'utilisateur final ou par ses autorités de tutelle. Enfin, les exportateurs devraient documenter leur évaluation et la transmettre à l'autorité avec la demande de licence.",
        answers: [
          "Utiles mais incomplets : ajoutez l'absence de contrôle judiciaire indépendant de la surveillance dans le pays de destination.",
          '',
          'Oui, avec le plus de détails possible, y compris les motifs de refus liés aux droits humains.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Meridian Telecom Systems Inc.',
    country: 'US',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Robert Klein',
    contactEmail: 'export.compliance@example.com',
    publication: 'named',
    confidential: {
      justification:
        'The second paragraph identifies categories of customers, the number of destinations outside the Subscribing States and the status of current framework agreements. Our customers are bound by confidentiality clauses, and disclosure would harm our commercial position in ongoing negotiations.',
      publicVersion:
        "Meridian manufactures carrier-grade routing and packet-processing platforms. We support controlling monitoring centres and surveillance-specific software, but 'carrier-class IP network' is undefined and the application-layer criterion would catch every modern broadband network gateway, because application identification is needed for traffic management. We propose that the control attach only where content-extraction and person-indexing functions are enabled or licensed, with a general licence for gateways sold with those functions disabled and cryptographically locked.",
    },
    status: 'published',
    daysAgo: 15.3,
    items: [
      {
        control: 2,
        position: 'support_with_changes',
        body: 'Meridian manufactures carrier-grade routing and packet-processing platforms. We support controlling monitoring centres and surveillance-specific software. However, "carrier-class IP network" is undefined, and the application-layer criterion would catch every modern broadband network gateway, because application identification is needed for traffic management and for the quality-of-service obligations operators owe to their regulators.\n\nTo illustrate the scale of the issue: over the past three years we have shipped DPI-capable gateways under existing general authorisations to operators in several destinations outside the Subscribing States, including state-owned operators in four of them. Our order book includes framework agreements with two of those operators that would require individual licences under the draft, and delays at current processing times would put them at risk.\n\nWe propose that the control attach only where items are delivered with content-extraction and person-indexing functions enabled or licensed, and that a general licence cover gateways sold with those functions disabled and cryptographically locked.',
        answers: [
          'Option A, provided handover interfaces conform to recognised technical standards and the end user is screened under Draft item 4.',
          'Not as drafted. "Carrier-class" must be defined, and the control should attach to enabled content-extraction and person-indexing functions rather than to packet inspection as such.',
        ],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Tasman Institute for Surveillance Studies',
    country: 'NZ',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Dr Aroha Kingi',
    contactEmail: 'aroha.kingi@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 14.7,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'Draft item 2 rightly singles out real-time remote identification in publicly accessible spaces, but the "real-time" qualifier invites circumvention. Retrospective identification, in which footage of a demonstration is run against a database hours or days later, can be just as chilling for freedom of assembly, and is arguably easier to misuse because it is less visible. We recommend deleting "real-time" from limb (a) and controlling any system designed to identify persons in footage of publicly accessible spaces.\n\nThe exclusion for one-to-one verification is sound in principle, but it should require that the person is aware of and actively takes part in the verification. A product that silently compares every passer-by against a single watch-listed individual is identification in all but name.\n\nFinally, accuracy is no substitute for a human-rights assessment. A highly accurate system in the hands of an abusive end user is more dangerous, not less.',
        answers: [
          'Yes, if verification is defined by the active, informed participation of the person rather than by the number of comparisons made.',
          'Yes. A template database is a surveillance asset in its own right and can be paired with any matching engine.',
          'Any numerical threshold is arbitrary. If one is used, it should be low and should apply cumulatively across deliveries to the same end user, to prevent contracts from being split.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'RankRocket Digital Marketing',
    country: 'IN',
    organisationSize: 'micro',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'spam',
    daysAgo: 14.2,
    items: [
      {
        control: null,
        position: 'no_position',
        body: "Is your business struggling to get seen online?? RankRocket Digital Marketing offers GUARANTEED first-page search rankings in 30 days or your money back! Our expert team provides SEO, backlinks, social media followers and website design at unbeatable prices. Special offer this month only: 50% discount on all packages for new clients. Message us today for a FREE audit of your website. We work with clients in every industry worldwide. Don't miss out, your competitors are already ranking above you! Mention code CONSULT50 when you contact us.",
        answers: [],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Coalition Against Surveillance Exports',
    country: 'GB',
    organisationSize: 'medium',
    registerId: '860231749513-90',
    contactName: 'Amira Haddad',
    contactEmail: 'amira.haddad@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 13.6,
    items: [
      {
        control: null,
        position: 'support_with_changes',
        body: 'We welcome this consultation, and thank the authority for publishing draft text rather than abstract questions. Our overarching concern is that list-based controls will always lag behind the market. Vendors rename products, split functions across modules and move development to non-subscribing jurisdictions. The draft items should therefore be backed by a mandatory human-rights catch-all: where the exporter is aware, or has been informed by the authority, that any item may be used in connection with serious violations of human rights, a licence should be required regardless of classification.\n\nWe also ask the authority to commit to three transparency measures: an annual report of licences granted and refused under these items, by destination and end-user category; anonymised reasons for refusals on human-rights grounds; and the sharing of denial notifications with other Subscribing States, in line with commitment 3 of the Code of Conduct.',
        answers: [],
      },
      {
        control: 3,
        position: 'support_with_changes',
        body: 'The guidance is framed as steps an exporter "should" take. For items within Draft items 1 to 3, human-rights due diligence in line with the UN Guiding Principles on Business and Human Rights should be a condition of the licence, not an encouragement. Exporters should document their assessment, including how they weighed the destination\'s legal framework for surveillance, and submit it with the application. Post-shipment obligations matter as much as pre-shipment screening: remote support, software updates and training continue the relationship, and they should stop when misuse is credibly reported.',
        answers: [
          'Add: absence of independent judicial authorisation for interception; end users subject to credible reports of transnational repression; and requests to disable logging or audit functions.',
          'Proportionate, but not optional. SMEs can use templates; the risk does not shrink with the size of the seller.',
          'Yes: annually, by destination and end-user category, with anonymised reasons for refusals.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Kiriyama Optics Co., Ltd.',
    country: 'JP',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Kenichi Sato',
    contactEmail: 'kenichi.sato@example.com',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 13.1,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: '当社は監視カメラおよび顔認証モジュールを製造・輸出しています。公共空間におけるリアルタイムの遠隔生体識別システムを規制対象とする方針には基本的に賛成します。しかし、草案第2項の定義では、カメラ本体、顔検出機能のみを持つモジュール、そして第三者のサーバー上で動作する識別ソフトウェアの区別が明確ではありません。\n\n当社のカメラの多くは顔の「検出」（画像内に顔が存在するかどうかの判定）を行いますが、個人の「識別」は行いません。顔検出のみの製品が規制対象外であることを明記していただくよう要望します。また、汎用カメラが輸出後に顧客側で識別ソフトウェアと組み合わされる場合、輸出者がどこまで責任を負うのかについて、具体的なガイダンスをお願いします。\n\nさらに、予見可能性を確保するため、許可申請の標準処理期間を公表していただくよう求めます。',
        answers: [
          '概ね運用可能ですが、「検出」と「識別」の区別を定義に明記すべきです。',
          '別個に規制することに賛成します。テンプレートデータベースはカメラ本体よりもリスクが高いと考えます。',
          '人数による閾値よりも、データの収集方法（本人の関与の有無）に基づく基準が望ましいと考えます。',
        ],
      },
    ],
  },
  {
    respondentType: 'business_association',
    organisation: 'Danish Security Technology Industry Association',
    country: 'DK',
    organisationSize: 'medium',
    registerId: null,
    contactName: 'Anders Holm',
    contactEmail: 'anders.holm@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 12.5,
    items: [
      {
        control: 3,
        position: 'support_with_changes',
        body: 'Most of our members are small and medium-sized enterprises with no in-house export-control or human-rights staff. They want to do the right thing but cannot run a bespoke human-rights impact assessment for every order of a few cameras or a single software licence. The guidance would be far more effective with practical tools: a standard end-use and end-user statement in several languages, a short decision tree for when a transaction needs enhanced due diligence, and a contact point in the authority who can answer classification questions informally.\n\nThe guidance should also distinguish sales to distributors from direct sales. Our members often sell through integrators and do not know the final site. It should describe what reasonable steps look like in that situation, such as contractual flow-down clauses and a right to request end-user information, rather than implying that exporters must know every final customer.',
        answers: [
          'Broadly appropriate. The red flag on "unusual customisation requests" needs examples, because customisation is normal in our sector.',
          'A tiered approach: a short checklist for low-risk transactions, enhanced due diligence only when red flags appear, plus templates and an informal advice line.',
          'Aggregate statistics by item and region would help; individual decisions should not identify exporters.',
        ],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'DE',
    organisationSize: null,
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 11.9,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'I am a human-rights defender living in exile. I will not give my name or my country, because my family is still there. Some time ago I received a notification from my phone manufacturer warning that my device may have been targeted by a state-sponsored attacker. A forensic check arranged by a support organisation confirmed an infection. I never clicked on anything. Afterwards, people I had spoken to on that phone were questioned. I left the country a few months later.\n\nFor us, spyware is not an abstract "dual-use" problem. It follows us across borders. I support Draft item 1, but it must cover the companies that sell the service and maintain the infrastructure, not only the software. And a licence should never be granted to an authority that has targeted people in exile.',
        answers: [
          '',
          'Yes. The people who attacked me did not need to own anything; someone ran it for them.',
          '',
        ],
      },
      {
        control: null,
        position: 'support',
        body: 'Please think about the people who cannot answer a consultation like this. Many defenders will not write to you because they fear being identified, even by a government that is not their own. Keep this response anonymous and do not publish any information about when or how it was sent. When you publish licence decisions, publish the refusals too, so that we know some governments are being told no.',
        answers: [],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Universität Rheinau, Institut für Technik und Menschenrechte',
    country: 'DE',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Prof. Dr. Jonas Becker',
    contactEmail: 'jonas.becker@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 11.4,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'Wir begrüßen den Entwurf, sehen aber erheblichen Klärungsbedarf bei der Forschungsausnahme. Die Formulierung „wissenschaftliche Grundlagenforschung“ ist für die IT-Sicherheitsforschung ungeeignet, da nahezu alle Arbeiten zu Schwachstellen, Exploits und Erkennungsmethoden anwendungsorientiert sind. Promovierende aus Drittstaaten arbeiten in unseren Projekten mit Proof-of-Concept-Code; es muss klar sein, dass dies keine genehmigungspflichtige Ausfuhr darstellt, solange die Ergebnisse zur Veröffentlichung oder zur koordinierten Offenlegung bestimmt sind.\n\nWir schlagen vor, die Ausnahme auf „Forschung, deren Ergebnisse zur Veröffentlichung oder zur Meldung an betroffene Hersteller bestimmt sind“ umzustellen. Zugleich sollte die Ausnahme ausdrücklich nicht gelten, wenn ein staatlicher Auftraggeber einsatzfähige Angriffswerkzeuge bestellt. So würde echte Forschung geschützt, ohne eine Lücke für kommerzielle Anbieter zu öffnen.',
        answers: [
          'Nein, die Ausnahme für Grundlagenforschung ist zu eng; siehe unseren Formulierungsvorschlag.',
          'Ja. Gerade die Dienstleistungskomponente unterscheidet kommerzielle Spähsoftware von Forschung.',
          '',
        ],
      },
      {
        control: 3,
        position: 'support',
        body: 'Hochschulen sollten in den Leitlinien ausdrücklich als mögliche Ausführer genannt werden. Wir empfehlen, dass jede Hochschule eine zentrale Ansprechperson für Exportkontrolle benennt und dass die Behörde kostenlose Schulungen für Forschungsgruppen anbietet. Die menschenrechtliche Sorgfaltspflicht im Sinne der UN-Leitprinzipien für Wirtschaft und Menschenrechte sollte auch bei Kooperationen mit Sicherheitsbehörden aus Drittstaaten gelten, etwa bei gemeinsamen Projekten zur Gesichtserkennung oder Netzwerkanalyse. Praxisnahe Beispiele aus solchen Kooperationen wären besonders hilfreich.',
        answers: [
          '',
          'Für Hochschulen: zentrale Ansprechperson, Schulungen und einfache Prüfschemata für Kooperationsprojekte.',
          'Ja, in aggregierter Form.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Lindenfeld Forensic Systems GmbH',
    country: 'DE',
    organisationSize: 'medium',
    registerId: '274650193827-66',
    contactName: 'Stefan Albrecht',
    contactEmail: 'stefan.albrecht@example.com',
    publication: 'anonymous',
    confidential: {
      justification:
        'The second paragraph discloses our current licensing volumes, the share of customers outside the Subscribing States and orders we have declined. Competitors could use these figures to estimate our market position in specific regions.',
      publicVersion:
        'We develop mobile-device forensic extraction tools used by police and prosecution services to examine seized devices under a court order. The tools require physical possession of the device and would fall within the draft definition of intrusion software. We do not object to licensing, but ask the authority to distinguish physical-access forensic tools from remote spyware, and propose a separate entry with global licences for vetted law-enforcement end users, subject to annual reporting and audit.',
    },
    status: 'published',
    daysAgo: 10.8,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We develop mobile-device forensic extraction tools used by police and prosecution services to examine seized devices under a court order. Our tools require physical possession of the device. They bypass screen locks and extract data, and would therefore fall within the draft definition of intrusion software. We do not object to licensing, but we ask the authority to distinguish physical-access forensic tools from remote spyware, which can be installed covertly on a device the end user never touches.\n\nFor context: we currently hold around forty open licences for these tools under national catch-all decisions, roughly a third of them for police forces outside the Subscribing States, and in the last year we declined three orders after our own screening. Requiring individual licences under Draft item 1 for every software update would multiply our licensing volume several times over.\n\nWe propose a separate entry for physical-access forensic tools, with global licences for vetted law-enforcement end users, subject to annual reporting and audit.',
        answers: [
          'Not for forensic tools; a separate entry for physical-access extraction is needed.',
          'Yes.',
          'Updates for already-licensed tools should be covered by the original licence; new applications should be decided within 30 days.',
        ],
      },
    ],
  },
  {
    respondentType: 'trade_union',
    organisation: 'Union of Network and Electronics Workers',
    country: 'FI',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Mikko Virtanen',
    contactEmail: 'mikko.virtanen@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 10.2,
    items: [
      {
        control: 3,
        position: 'support_with_changes',
        body: 'Our members install, configure and maintain network equipment, sometimes abroad on behalf of their employers. Engineers are often the first to see that a "network optimisation" project is in fact a surveillance deployment: the requested configuration, the customer\'s security personnel on site, the insistence on interception interfaces. At present they have no safe way to raise this.\n\nWe ask that the guidance require exporters to operate a confidential channel through which employees and contractors can report suspected misuse, with protection against retaliation, and to consult worker representatives when designing their due-diligence process. Field staff should be able to decline postings on deployments they reasonably believe will be used against trade unionists, journalists or other civil-society actors, without loss of pay or career consequences.',
        answers: [
          'Add: customer requests for on-site engineers to configure interception interfaces outside the original scope of work.',
          '',
          'Yes.',
        ],
      },
      {
        control: 2,
        position: 'support',
        body: 'We support Draft item 3. Trade unionists in many countries are among the targets of network surveillance, and the line between network management and monitoring is often crossed after installation. The authority should make clear that the licensing requirement extends to maintenance contracts and to upgrades that add surveillance functions to equipment already installed, because this is where the work of our members is most often redirected.',
        answers: [
          'Option B.',
          'Only if upgrades that enable surveillance functions after delivery are also covered.',
        ],
      },
    ],
  },
  {
    respondentType: 'public_authority',
    organisation: 'Data Protection Office, Municipality of Fjordvik',
    country: 'NO',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Kari Nordby',
    contactEmail: 'kari.nordby@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 9.7,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'As a municipal data-protection office we advise on the procurement of video systems for public spaces. In our experience, biometric template databases are the component least understood by buyers and sellers alike. Once created, a template database can be queried by systems other than the one for which it was built, and templates can be exported, merged or retained long after the original purpose has ended.\n\nWe support limb (b) and recommend that the licensing requirement also cover the transfer of existing template databases, not only the supply of database software and enrolment services. Licence conditions should require the exporter to document retention periods, deletion mechanisms and access logging for any database delivered, and such systems should not be supplied where the destination has no independent supervisory authority for personal data.',
        answers: [
          'Yes, provided verification requires the active participation of the person concerned.',
          'Yes. The transfer of existing databases should be explicitly covered.',
          'We do not propose a number. A qualitative test based on the purpose and source of the data would be more robust.',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Open Source Security Commons',
    country: 'US',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Priya Raman',
    contactEmail: 'priya.raman@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 9.1,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We represent maintainers of open-source security tools: network scanners, fuzzers, exploit-development frameworks and endpoint detection software. Exclusion (c) for published open-source software is welcome but raises practical questions. Is code "published" when it sits in a public repository but no release has been tagged? What about a private branch that a maintainer shares with a collaborator abroad before release? What about commercial support contracts for an open-source tool?\n\nWe recommend that the exclusion apply to any software that is, or is intended to be, made publicly available without restriction, and that the authority publish FAQs with worked examples. Commercial support for open-source tools should be controlled only where it is supplied to a government end user for the surveillance of individuals.',
        answers: [
          'Mostly, but "published" must be defined to include code in public repositories and code intended for publication.',
          'Yes.',
          '',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Cobaltline Networks AS',
    country: 'NO',
    organisationSize: 'medium',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 8.6,
    items: [
      {
        control: 2,
        position: 'support_with_changes',
        body: 'We make next-generation firewalls and intrusion-prevention systems. Our products perform deep packet inspection and application identification in order to block malware and enforce enterprise policy. They are deployed at the perimeter of corporate and government networks, not on carrier backbones, and do not index content by individual subscriber.\n\nWe ask for an explicit exclusion for security products whose primary function is to protect the network on which they are deployed, whoever owns that network. The current wording ("the network operator\'s own networks") is ambiguous when a managed security service provider runs the device on behalf of a customer. TLS inspection is also standard in enterprise security and should not in itself bring a product into scope.',
        answers: [
          'Option B is acceptable to us, provided our product category is clearly excluded.',
          'No. They should expressly exclude network-security products protecting the network on which they are deployed, including when operated by a managed service provider.',
        ],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Polder Institute for Technology and Society',
    country: 'NL',
    organisationSize: 'small',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 8,
    items: [
      {
        control: 2,
        position: 'support_with_changes',
        body: 'Our researchers measure internet censorship and network interference. To detect deep packet inspection deployments, we build tools that mimic DPI triggers and observe how middleboxes respond, and we work with researchers in countries where such systems are deployed. We are concerned that the technical criteria could be read to capture measurement tools, because they operate at the application layer and can be run across large networks.\n\nWe ask that the exclusions cover network measurement and research tools that do not extract or index the content or metadata of communications of identifiable individuals. More broadly, we support Option B: lawful-interception interfaces are where a monitoring centre connects to the network, and they are also where abuse is hardest to detect from the outside.',
        answers: [
          'Option B.',
          'Add an explicit exclusion for measurement and research tools that do not extract or index personal communications.',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Defenders at Risk Support Fund',
    country: 'NL',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Femke de Vries',
    contactEmail: 'femke.devries@example.org',
    publication: 'not_published',
    confidential: null,
    status: 'received',
    daysAgo: 7.5,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We provide emergency support to human-rights defenders, including device checks when a defender suspects compromise. We ask that this response not be published, to protect our staff and partners. Our main point is that the control must address the whole life cycle. Spyware vendors continue to provide updates, replacement exploits and infrastructure after the sale, so misuse can be stopped mid-contract if the licence is conditioned on it. Licences under Draft item 1 should require the exporter to suspend services when credible reports of targeting of civil society emerge, and to report such reports to the authority.',
        answers: [
          '',
          'Yes, and the licence should be conditional on suspension of services when misuse is credibly reported.',
          '',
        ],
      },
      {
        control: 3,
        position: 'support_with_changes',
        body: "The guidance should tell exporters to listen to those affected. Defenders' organisations and digital-security helplines often see targeting long before it is publicly reported. The authority could set up a confidential channel through which such organisations share information on misuse, and take that information into account in licensing decisions and in its advice to exporters about specific end users. Such a channel must be designed so that the people who report are never exposed.",
        answers: [
          'Add: credible reports from civil-society helplines, even where not yet public.',
          '',
          'Yes, including refusals.',
        ],
      },
    ],
  },
  {
    respondentType: 'business_association',
    organisation: 'Korea Biometric Industry Council',
    country: 'KR',
    organisationSize: 'medium',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 7,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'Our members supply fingerprint, face and iris recognition for payment, border and workplace applications. We support the objective of preventing misuse of remote identification, but the draft should avoid capturing products that are widely traded for civilian purposes, such as identity verification for banking or building access control.\n\nWe request: (1) clear definitions of "at a distance" and "without their active involvement", preferably with technical parameters; (2) an exclusion for biometric modules that cannot operate unless an enrolled user presents themselves; (3) recognition that software development kits are usually licensed to integrators, so the SDK supplier may not know the final application. In such cases the licensing requirement should apply to system deliveries, not to generic SDKs. We also ask Subscribing States to coordinate so that Korean, Japanese and European suppliers face the same rules.',
        answers: [
          'Workable if "at a distance" and "without their active involvement" are defined with technical parameters.',
          'Large template databases do present separate risks, but generic database software should not be controlled.',
          'If a threshold is used, it should be high enough to exclude enterprise and single-site deployments.',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Quillon Intelligence Solutions Ltd',
    country: 'GB',
    organisationSize: 'medium',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 6.6,
    items: [
      {
        control: 2,
        position: 'oppose',
        body: "We supply lawful-interception mediation and monitoring-centre software to telecommunications regulators and law-enforcement agencies. We oppose Draft item 3 as drafted, and Option B in particular. Lawful interception is a legal obligation placed on operators in almost every state, including the Subscribing States. Treating standard interfaces as suspect will not stop interception; it will shift supply to vendors in non-subscribing states who offer no training, no audit trail and no safeguards.\n\nInstead, monitoring centres should be licensed according to the destination's legal framework, with a presumption of approval where the importing state requires judicial or other independent authorisation, and licences should be issued as multi-year global licences for approved authorities. Our products include audit logging, warrant management and role separation; the authority could make such safeguards a licence condition rather than treat the product category as a reason for refusal.",
        answers: [
          'Option A. Option B would penalise standardised, auditable interfaces.',
          'Broadly adequate, although the relational-mapping criterion needs clarification.',
        ],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'NO',
    organisationSize: null,
    registerId: null,
    contactName: 'Ingrid Halvorsen',
    contactEmail: 'ingrid.halvorsen@example.net',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 6.2,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'I am writing in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics.\n\nI ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nStop the spyware trade. Human rights must come before profit.\n\nThank you for the opportunity to comment.\nIngrid Halvorsen',
        answers: ['', 'Yes.', ''],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'US',
    organisationSize: null,
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 6,
    items: [
      {
        control: 0,
        position: 'support',
        body: 'I am writing to support Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics. I only learned about this issue recently, and it frightened me to realise how easy it is for governments to buy these tools.\n\nPlease strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nStop the spyware trade now.',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Watchtower Accountability Project',
    country: 'US',
    organisationSize: 'micro',
    registerId: null,
    contactName: 'Dale Whitford',
    contactEmail: 'dale.whitford@example.org',
    publication: 'named',
    confidential: null,
    status: 'withheld',
    daysAgo: 5.9,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We support Draft item 1, but the authority is ignoring what is in plain sight. In the annex to this response we list the full names, personal mobile numbers and home addresses of three sales executives and two procurement officials who, according to our sources, negotiated a spyware contract last year. We demand that the authority investigate these individuals personally and publish the results. Licences should be refused to any company that employs people involved in such deals, and the authority should publish the names of every employee of an exporting company who works on intrusion software.',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Bergen Friends of Free Expression',
    country: 'NO',
    organisationSize: 'micro',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 5.8,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'On behalf of the members of Bergen Friends of Free Expression, we write in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics. Our members include writers and translators who work with colleagues for whom this is a daily threat.\n\nWe ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nStop the spyware trade. Human rights must come before profit.\n\nThe board, Bergen Friends of Free Expression',
        answers: ['', 'Yes, services must be covered.', ''],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'CZ',
    organisationSize: null,
    registerId: null,
    contactName: 'Marek Novák',
    contactEmail: 'marek.novak@example.net',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 5.6,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'I am writing in support of Draft item 1 on commercial spyware. Spyware has been used to break into the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence their critics.\n\nI ask you to strengthen Draft item 1 by:\n\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- refusing licences to any end user that has targeted civil society;\n- publishing every licence decision under this item, including refusals.\n\nStop the spyware trade. Human rights must come before profit.\n\nRegards,\nMarek Novák, Brno',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Universidad de Valdemora, Grupo de Investigación en Derecho y Tecnología',
    country: 'ES',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Dra. Lucía Navarro',
    contactEmail: 'lucia.navarro@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 5.5,
    items: [
      {
        control: 3,
        position: 'support_with_changes',
        body: 'Valoramos positivamente que las orientaciones se basen en los Principios Rectores de las Naciones Unidas sobre las Empresas y los Derechos Humanos. Sin embargo, el texto no aclara la relación entre la diligencia debida del exportador y la obligación de solicitar una licencia. Proponemos que, cuando la diligencia debida del exportador identifique un riesgo de violaciones graves de derechos humanos, el exportador esté obligado a notificarlo a la autoridad, que decidirá si exige una licencia. Una cláusula general de este tipo («catch-all») daría seguridad jurídica a las empresas y evitaría que productos no incluidos en la lista escapen al control.\n\nTambién recomendamos que la autoridad publique ejemplos de evaluaciones de riesgo, sin datos confidenciales, para que las pymes y las universidades puedan aprender de casos concretos.',
        answers: [
          'Sí, aunque convendría añadir la falta de supervisión judicial independiente en el país de destino.',
          'Con plantillas, ejemplos anonimizados y un servicio de consulta gratuito para pymes y universidades.',
          'Sí, con datos agregados por país de destino y por tipo de usuario final, incluidas las denegaciones.',
        ],
      },
      {
        control: null,
        position: 'support',
        body: 'Sugerimos que la autoridad publique también un resumen de las respuestas recibidas en esta consulta, indicando cómo se han tenido en cuenta, y que lo traduzca a las lenguas más utilizadas por los participantes. Además, la participación de la sociedad civil y de las universidades de países no suscriptores debería facilitarse de forma activa, en coherencia con el compromiso 6 del Código de Conducta.',
        answers: [],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'AU',
    organisationSize: null,
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 5.3,
    items: [
      {
        control: 0,
        position: 'support',
        body: 'I am writing in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and activists, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics.\n\nI ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nOur government should lead on this.\n\nStop the spyware trade. Human rights must come before profit.',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Civic Voices Brno',
    country: 'CZ',
    organisationSize: 'micro',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 5.1,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We are writing in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics.\n\nWe ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nWe would also ask you to make sure that people who have been targeted can find out whether a licence was granted for the tool used against them.\n\nStop the spyware trade. Human rights must come before profit.',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Brightwater Identity Corp.',
    country: 'CA',
    organisationSize: 'medium',
    registerId: null,
    contactName: 'Nathan Cole',
    contactEmail: 'nathan.cole@example.com',
    publication: 'named',
    confidential: {
      justification:
        'The second paragraph identifies the type and location of our government customers and the scale of the databases we operate for them. Our contracts prohibit disclosure, and publication could create security risks for those systems.',
      publicVersion:
        "Brightwater provides remote identity verification (one-to-one matching of an identity document against a selfie, with the user's active participation) and welcomes the exclusion for verification. Our service also performs one-to-many duplicate checks to detect fraud. We ask the authority to clarify whether deduplication against an enrolment database falls within 'identification', and to publish the criteria it will apply to government identity programmes. We would support licensing for large government deployments once those criteria are clear.",
    },
    status: 'published',
    daysAgo: 4.9,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: "Brightwater provides remote identity-verification services: a user photographs an identity document and takes a selfie, and we confirm that the two match. This is one-to-one verification with the user's active participation, and we welcome the exclusion. However, our service also performs one-to-many duplicate checks against previously enrolled users to detect fraud, for example the same face appearing under different names.\n\nWe supply this service to the national digital-identity programmes of three governments, two of them outside the Subscribing States, and to several banks in those markets. The deduplication databases for the government programmes hold templates for a large share of each country's adult population. We recognise that this is precisely the kind of database the draft is concerned with, and we would support licensing, but we need to understand the criteria before our next contract renewals.\n\nWe ask the authority to clarify whether deduplication against an enrolment database falls within 'identification', and to publish the criteria it will apply to government identity programmes.",
        answers: [
          'Mostly. Deduplication checks need to be addressed explicitly.',
          'Yes, and we accept that large government enrolment databases should be licensable.',
          'A threshold tied to national-scale population databases, with the criteria published in advance.',
        ],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'CA',
    organisationSize: null,
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 4.7,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'I am writing in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers, doctors and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics.\n\nI ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nStop the spyware trade!! Human rights must come before profit.',
        answers: ['', '', ''],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Ottawa Valley Human Rights Circle',
    country: 'CA',
    organisationSize: 'micro',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 4.4,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'Our volunteer group is writing in support of Draft item 1 on commercial spyware. Spyware has been used to hack the phones of journalists, lawyers and human-rights defenders, often through zero-click exploits that the person targeted cannot see or stop. No company should be allowed to profit from selling these tools to governments that use them to silence critics.\n\nWe ask you to strengthen Draft item 1 by:\n\n- refusing licences to any end user that has targeted civil society;\n- covering spyware-as-a-service, brokering and technical support, not only software;\n- publishing every licence decision under this item, including refusals.\n\nPlease also coordinate with the other Subscribing States, so that a refusal in one country is not undercut by a licence in another.\n\nStop the spyware trade. Human rights must come before profit.\n\nIn solidarity,\nOttawa Valley Human Rights Circle',
        answers: ['', 'Yes.', ''],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Stratocloud Services Ltd',
    country: 'GB',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Olivia Grant',
    contactEmail: 'olivia.grant@example.com',
    publication: 'not_published',
    confidential: null,
    status: 'received',
    daysAgo: 4.1,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'As an infrastructure and platform provider, we host customer workloads, including computer-vision models, in data centres in several Subscribing States. We do not see what most customers run, and our terms prevent us from inspecting customer content. We ask the authority to confirm that making general-purpose compute and storage available to a foreign customer is not an export of a controlled item merely because the customer uses it to run a face-recognition model. Where a provider offers a managed face-identification service, such as a face-search API, we agree that the provider is the exporter and that the control should apply to access by foreign end users.',
        answers: [
          '',
          'Yes. Managed template storage offered as a service should be treated as an enrolment service.',
          '',
        ],
      },
      {
        control: 3,
        position: 'support_with_changes',
        body: 'For cloud services, due diligence should focus on managed services that are specific to controlled functions. For managed biometric services we can screen customers against restricted-party lists, require an end-use declaration and enforce acceptable-use terms. We cannot assess human-rights risk for every customer of generic infrastructure, and the guidance should say so explicitly, to avoid an expectation that providers monitor customer content.',
        answers: [
          '',
          'Provide specific guidance for cloud providers, distinguishing managed services from general-purpose infrastructure.',
          'We have no objection to aggregate publication.',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Pan-African Digital Rights Observatory',
    country: 'KE',
    organisationSize: 'small',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 3.8,
    items: [
      {
        control: null,
        position: 'support_with_changes',
        body: 'Much of the surveillance technology that concerns us reaches our region through resellers and integrators registered in third countries, or as part of financing packages attached to infrastructure projects. Controls in Subscribing States matter, but they will only be effective if they cover re-export and transshipment and if licences require end-user certificates that name the agency that will actually operate the system. We also urge the Subscribing States to act on commitment 6 of the Code of Conduct: support export-control and oversight capacity in non-subscribing states, and include civil society from those states in consultations like this one, including by accepting responses in more languages.',
        answers: [],
      },
      {
        control: 2,
        position: 'support_with_changes',
        body: 'Monitoring centres are often sold as part of "safe city" or national broadband packages. The control must cover integration services and equipment delivered as part of a larger project, and must not be circumvented by splitting deliveries between contractors. Licences should name the agency that will operate the monitoring centre. Option A would exclude the very interfaces through which interception is carried out, and it should be dropped.',
        answers: [
          'Option B, or individual licences.',
          'The criteria should be applied to the delivered system as a whole, not to each component separately.',
        ],
      },
    ],
  },
  {
    respondentType: 'business_association',
    organisation: 'Australian Cyber Security Industry Group',
    country: 'AU',
    organisationSize: 'medium',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 3.4,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: "Our members include penetration-testing firms, incident responders, bug-bounty researchers and security training providers. We support controls on commercial spyware and recognise the harm it does. However, earlier multilateral efforts to control intrusion software showed that the detail of the exclusions decides whether the defensive security industry can keep working.\n\nWe ask for: explicit coverage of coordinated vulnerability disclosure and bug-bounty submissions in the exclusions; recognition that red-team tools with persistence features are used legitimately under contract; a general licence for transfers among Subscribing States and to vendors' product-security teams; and an advisory-opinion process with a published turnaround time, so that firms can obtain a classification ruling before tendering for overseas work. For our members, uncertainty is a greater cost than refusals.",
        answers: [
          'Close, but bug-bounty submissions and red-team persistence tools need explicit treatment.',
          'Yes. Controlling services targets the business model of spyware vendors.',
          'Classification rulings within 15 working days, and licence decisions within 30 working days for low-risk destinations.',
        ],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'GB',
    organisationSize: null,
    registerId: null,
    contactName: 'Daniel Okafor',
    contactEmail: 'daniel.okafor@example.net',
    publication: 'named',
    confidential: null,
    status: 'withheld',
    daysAgo: 3,
    items: [
      {
        control: 0,
        position: 'support',
        body: "I am an investigative journalist and have spent the past year reporting on the trade in intrusion tools. One of my sources, a former sales engineer at a vendor headquartered in a Subscribing State, told me that contracts are routinely structured so that the vendor's subsidiary in a third country signs with the end user, keeping the parent company outside licensing. My source worked on the deal for the interior ministry named in the attached timeline and left the company in the spring; the dates and project names in the timeline are exactly as they gave them to me.\n\nI support Draft item 1, but it must cover group companies and subsidiaries abroad, and brokering by nationals of Subscribing States wherever they are located.",
        answers: ['', 'Yes, including services supplied through foreign subsidiaries.', ''],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Oriel Cyber Defence B.V.',
    country: 'NL',
    organisationSize: 'medium',
    registerId: '961374028451-23',
    contactName: 'Sanne Bakker',
    contactEmail: 'sanne.bakker@example.com',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 2.7,
    items: [
      {
        control: 0,
        position: 'support',
        body: 'Oriel is a threat-intelligence and incident-response company. Much of our work deals with the consequences of commercial spyware: examining compromised devices of clients, including journalists and NGO staff, and tracking the infrastructure used by spyware-as-a-service operators. We support Draft item 1 and do not regard it as a burden on legitimate security work, provided the exclusions for incident response and coordinated vulnerability disclosure remain.\n\nWe urge the authority to treat infrastructure as part of the controlled service. Operators rent servers, domains and anonymisation layers through resellers in several jurisdictions. Licence applications should disclose the hosting arrangements for command-and-control infrastructure, and licence conditions should prohibit the continued supply of that infrastructure to the end user after the licence expires.',
        answers: [
          'Yes, provided the incident-response and disclosure exclusions remain as drafted.',
          'Yes.',
          'A short turnaround is fine for us. The risk lies in speed without scrutiny for spyware vendors.',
        ],
      },
      {
        control: 3,
        position: 'support',
        body: "Independent technical audits of delivered systems could support exporters' due diligence, for example checks that audit logs cannot be disabled by the end user and that the vendor's remote-access channels are documented. We would also welcome guidance on what exporters should do when an incident responder informs them that their product has been found on the device of a journalist or defender: at a minimum, notify the authority and review all deliveries to that end user.",
        answers: [
          'Add: end-user requests for the ability to disable or delete audit logs.',
          '',
          'Yes.',
        ],
      },
    ],
  },
  {
    respondentType: 'public_authority',
    organisation: 'Customs Technical Classification Office, Eastern Ports Directorate',
    country: 'CZ',
    organisationSize: 'medium',
    registerId: null,
    contactName: 'Petra Horáková',
    contactEmail: 'petra.horakova@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 2.3,
    items: [
      {
        control: null,
        position: 'support_with_changes',
        body: 'From an enforcement perspective, the draft items will be difficult to apply at the border. Most controlled items will move intangibly, by download, remote access or cloud service, and where hardware does move it is usually generic servers or cameras whose controlled functionality lies in software. We recommend that the final text include classification criteria that can be applied from documentation rather than physical inspection; an obligation to record the classification and licence number in the export declaration where goods are shipped; and cooperation arrangements with other Subscribing States on intangible transfers. Training materials for customs officers on these technologies would also be welcome.',
        answers: [],
      },
      {
        control: 0,
        position: 'no_position',
        body: 'We take no position on the scope of Draft item 1, which is a policy matter. We note that exclusion (c), for items in the public domain and published open-source software, will be hard to verify in an investigation unless exporters keep records showing that the software was publicly available at the time of transfer. The guidance should ask exporters to keep such records.',
        answers: [
          '',
          '',
          "A technical description and the exporter's classification rationale submitted with the application would shorten our review.",
        ],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Hanbit University, Biometrics and Privacy Lab',
    country: 'KR',
    organisationSize: 'medium',
    registerId: null,
    contactName: 'Prof. Park Ji-woo',
    contactEmail: 'jiwoo.park@example.org',
    publication: 'not_published',
    confidential: null,
    status: 'received',
    daysAgo: 2,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'Our lab develops privacy-preserving biometric methods, such as template protection and presentation-attack detection, and we collaborate with universities in several countries. This requires sharing models and benchmark datasets with partners. We support controls on deployed remote-identification systems, but ask the authority to clarify that (1) publishing models and code with academic papers is excluded; (2) sharing face datasets collected with consent for research is not the transfer of a biometric template database under limb (b); and (3) template-protection technology, which reduces the risk of misuse, is not controlled as technology for the development of controlled systems.',
        answers: [
          '',
          'Research datasets collected with consent should be distinguished from operational template databases.',
          'Any threshold should exclude research datasets collected with consent.',
        ],
      },
    ],
  },
  {
    respondentType: 'business_association',
    organisation: 'Telecommunications Equipment Manufacturers Forum',
    country: 'US',
    organisationSize: 'large',
    registerId: null,
    contactName: 'Gregory Hale',
    contactEmail: 'ghale@example.org',
    publication: 'not_published',
    confidential: null,
    status: 'received',
    daysAgo: 1.7,
    items: [
      {
        control: 2,
        position: 'support_with_changes',
        body: 'The Forum supports the objective of Draft item 3 but recommends four changes. First, define "carrier-class IP network" by function (a public electronic communications network) rather than by capacity. Second, make the criteria cumulative, so that application-layer analysis alone does not bring equipment into scope. Third, retain Option A for interfaces conforming to recognised lawful-interception standards; operators are legally required to provide them in most markets, and removing the exclusion would affect the sale of standard core-network equipment. Fourth, provide a general licence for deliveries to network operators in Subscribing States.',
        answers: [
          'Option A.',
          'Yes, if the criteria are cumulative and "carrier-class" is defined by function.',
        ],
      },
      {
        control: null,
        position: 'support_with_changes',
        body: 'We ask the authority to publish a target licence turnaround time for each draft item, to report against it quarterly, and to offer pre-application consultations. Customers routinely ask our members for delivery commitments months in advance, and uncertainty about licensing timelines is often more damaging than the licence requirement itself. We also recommend a transition period of twelve months after the final text is adopted.',
        answers: [],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: "Citizens' Privacy Trust",
    country: 'CA',
    organisationSize: 'small',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 1.4,
    items: [
      {
        control: 1,
        position: 'oppose',
        body: 'We oppose Draft item 2 as drafted, because it proposes to license the export of systems that should not be exported at all. Real-time remote identification in publicly accessible spaces makes anonymous participation in public life impossible: attending a protest, visiting a clinic, meeting a journalist. No licence condition can mitigate that once the system is installed. We urge a presumption of denial for such systems, with exceptions only where the destination has a law strictly limiting their use, independent prior authorisation and effective remedy. The item should also cover retrospective identification and reference databases built from scraped images, which should never be licensed.',
        answers: [
          'Only if verification requires the active, informed participation of the person.',
          'Yes.',
          'Any database built by scraping images from the internet should be refused, whatever its size.',
        ],
      },
    ],
  },
  {
    respondentType: 'academic',
    organisation: 'Northgate University, Centre for Digital Governance',
    country: 'CA',
    organisationSize: 'large',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 1.1,
    items: [
      {
        control: 3,
        position: 'support_with_changes',
        body: 'Aggregate figures alone tell the public little about how human-rights criteria are applied. We recommend a layered approach: (1) quarterly publication of licences granted and refused under each draft item, by destination and end-user category; (2) an annual narrative report explaining how human-rights considerations were weighed, with anonymised case examples; and (3) confidential access for parliamentary committees to individual decisions. Data should be machine-readable and use categories that are consistent across Subscribing States, so that researchers can compare practice, in support of commitments 3 and 4 of the Code of Conduct.',
        answers: [
          '',
          '',
          'Yes: quarterly, machine-readable, by item, destination and end-user category, with an annual narrative report.',
        ],
      },
    ],
  },
  {
    respondentType: 'other',
    organisation: 'Responsible Disclosure Cooperative',
    country: 'SE',
    organisationSize: 'small',
    registerId: null,
    contactName: 'Elin Sjöberg',
    contactEmail: 'elin.sjoberg@example.org',
    publication: 'named',
    confidential: null,
    status: 'published',
    daysAgo: 0.9,
    items: [
      {
        control: 0,
        position: 'support_with_changes',
        body: 'We are a member-owned cooperative of independent security researchers that coordinates vulnerability reports and bug-bounty submissions between researchers and software vendors. Our members live in many countries, several of them outside the Subscribing States. Nearly every report we handle contains a proof of concept, and many contain a working exploit. We ask that the exclusions in Draft item 1 expressly cover (a) submissions to bug-bounty and vulnerability-disclosure programmes, (b) transfers between a coordinator and the affected vendor, and (c) publication after a patch is released. Otherwise researchers outside the Subscribing States may stop reporting to vendors inside them, which would weaken security for everyone.',
        answers: [
          'Add bug-bounty and vulnerability-disclosure programmes to the exclusions explicitly.',
          'Yes.',
          '',
        ],
      },
    ],
  },
  {
    respondentType: 'ngo',
    organisation: 'Andean Digital Rights Network',
    country: 'EC',
    organisationSize: 'small',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'anonymous',
    confidential: null,
    status: 'published',
    daysAgo: 0.7,
    items: [
      {
        control: 1,
        position: 'support_with_changes',
        body: 'In our region, facial-recognition cameras are being installed in city centres under "safe city" projects, often financed and supplied from abroad, with little public information about who operates the databases or who may query them. We support Draft item 2, but licences for real-time remote identification systems should be conditional on the destination having a published legal basis, independent oversight and a way for people to find out whether their biometric data is held. Exporters should also have to tell the authority which agency will operate the template database, as it is often not the agency that signs the contract.',
        answers: [
          'Yes.',
          'Yes, especially where the database is operated by a different agency from the contracting one.',
          '',
        ],
      },
    ],
  },
  {
    respondentType: 'company',
    organisation: 'Sentinel Peak Analytics Pty Ltd',
    country: 'AU',
    organisationSize: 'small',
    registerId: null,
    contactName: null,
    contactEmail: null,
    publication: 'not_published',
    confidential: null,
    status: 'received',
    daysAgo: 0.5,
    items: [
      {
        control: null,
        position: 'no_position',
        body: 'We provide open-source intelligence and social-media analytics software to corporate security teams and some public-sector clients. Our product collects publicly available posts and does not intercept communications. It is not clear to us whether any of the draft items applies to our product. We ask the authority to state explicitly whether social-media monitoring tools are within scope and, if not, whether the due-diligence guidance in Draft item 4 is nevertheless expected to apply to us. We take no position on the proposals themselves.',
        answers: [],
      },
    ],
  },
  {
    respondentType: 'individual',
    organisation: null,
    country: 'BR',
    organisationSize: null,
    registerId: null,
    contactName: 'Jay Morgan',
    contactEmail: 'jay.profits@example.net',
    publication: 'named',
    confidential: null,
    status: 'spam',
    daysAgo: 0.3,
    items: [
      {
        control: null,
        position: 'no_position',
        body: "Hello!!! Want to earn $5,000 a week from home? My forex trading signals have helped thousands of people become financially free. No experience needed, just follow my daily signals in my private chat group and watch your account grow. Limited places left in my VIP group this month. Send me a message now and I will show you my results. Don't let this chance pass you by!!! Financial freedom is one click away.",
        answers: [],
      },
    ],
  },
  {
    respondentType: 'trade_union',
    organisation: "Harbourside Media Workers' Union",
    country: 'AU',
    organisationSize: 'medium',
    registerId: null,
    contactName: 'Grace Tan',
    contactEmail: 'grace.tan@example.org',
    publication: 'named',
    confidential: null,
    status: 'received',
    daysAgo: 0.15,
    items: [
      {
        control: 0,
        position: 'support',
        body: "Our union represents journalists, photographers and other media workers. Members who report on security, migration and foreign affairs increasingly ask us for advice on spyware, and device security is now part of our training. We support Draft item 1. Sources cannot be protected if a journalist's phone can be silently compromised, and the chilling effect reaches every source who decides not to speak. We ask that the targeting of journalists and media workers be treated as a ground for refusal, that media unions be consulted when the control is reviewed, and that published licence information be detailed enough for journalists and unions to scrutinise.",
        answers: ['', 'Yes.', ''],
      },
    ],
  },
]

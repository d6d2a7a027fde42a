import type { LocaleShape } from './shape.ts'
import type { Translation } from './en.ts'

const fr = {
  meta: {
    siteName: 'Consultations sur le contrôle des exportations et les droits humains',
    description:
      "Consultations publiques sur les contrôles à l'exportation proposés pour les technologies de surveillance et d'autres technologies pouvant servir à des atteintes aux droits humains.",
  },
  layout: {
    skipLink: 'Aller au contenu principal',
    serviceName: 'Consultations sur le contrôle des exportations et les droits humains',
    navLabel: 'Principal',
    navConsultations: 'Consultations',
    navPrivacy: 'Confidentialité',
    navSignIn: 'Se connecter',
    navAccount: 'Votre compte',
    navSignOut: 'Se déconnecter',
    navUsers: 'Utilisateurs',
    navManage: 'Gérer les consultations',
    languageLabel: 'Langue',
    timesShownIn: 'Les heures sont indiquées en {{zone}}.',
    footerLabel: 'Informations sur le site',
    footerAbout:
      "Consultations tenues au titre de l'engagement 2 du Code de conduite de l'Initiative sur le contrôle des exportations et les droits humains : consulter le secteur privé, le monde universitaire et la société civile sur les préoccupations en matière de droits humains et la mise en œuvre efficace des contrôles à l'exportation.",
    footerPrivacy: 'Avis de confidentialité',
    footerAllRounds: 'Toutes les consultations',
    footerOpenSource:
      'Logiciel libre. Aucun pistage, aucun script ni police de caractères de tiers.',
  },
  languages: {
    en: 'English',
    fr: 'Français',
  },
  status: {
    draft: 'Brouillon',
    upcoming: 'Ouverture prochaine',
    open: 'Ouverte aux contributions',
    closed: 'Clôturée',
    archived: 'Archivée',
  },
  home: {
    title: 'Donnez votre avis sur le contrôle des exportations et les droits humains',
    intro:
      "Les États qui souscrivent à l'Initiative sur le contrôle des exportations et les droits humains consultent les entreprises, les organisations professionnelles, les chercheurs et la société civile avant de contrôler l'exportation de technologies pouvant servir à la surveillance et à la répression. Lisez les contrôles proposés et dites-nous ce que vous en pensez.",
    openHeading: 'Ouvertes aux contributions',
    upcomingHeading: 'Bientôt ouvertes',
    closedHeading: 'Consultations clôturées',
    noneOpen: "Aucune consultation n'est ouverte aux contributions pour le moment.",
    noneUpcoming: "Aucune consultation n'est programmée.",
    noneClosed: "Aucune consultation n'est encore clôturée.",
    closes: 'Clôture le <time>{{date}}</time> ({{relative}})',
    opens: 'Ouverture le <time>{{date}}</time>',
    closed: 'Clôturée le <time>{{date}}</time>',
    controlCount_one: '{{count}} contrôle proposé',
    controlCount_many: '{{count}} de contrôles proposés',
    controlCount_other: '{{count}} contrôles proposés',
    responseCount_one: '{{count}} contribution publiée',
    responseCount_many: '{{count}} de contributions publiées',
    responseCount_other: '{{count}} contributions publiées',
    notice: {
      'signed-out': 'Vous avez été déconnecté.',
      deleted:
        'Votre compte a été supprimé. Les contributions que vous avez envoyées restent dans le dossier telles que vous avez choisi de les publier.',
    },
  },
  time: {
    left: '{{relative}}',
    closedAgo: 'clôturée {{relative}}',
  },
  round: {
    statusLabel: 'Statut',
    opensLabel: 'Ouverture',
    closesLabel: 'Clôture',
    timeLeft: 'Temps restant : {{relative}}',
    lateAllowed: 'Les contributions tardives sont acceptées et signalées comme telles.',
    contactLabel: 'Point de contact',
    commitmentsLabel: 'Engagements du Code de conduite',
    commitment_1:
      "1. Des outils nationaux pour contrôler les exportations vers des utilisateurs finaux susceptibles d'en faire un usage abusif",
    commitment_2: '2. Consulter le secteur privé, le monde universitaire et la société civile',
    commitment_3: "3. Partager l'information sur les menaces et risques émergents",
    commitment_4: '4. Partager et appliquer les bonnes pratiques',
    commitment_5: '5. Encourager la diligence raisonnable du secteur privé',
    commitment_6: '6. Renforcer les capacités des États non signataires',
    backgroundHeading: 'Contexte',
    controlsHeading: 'Contrôles proposés',
    controlReference: 'Référence {{reference}}',
    questionsHeading: 'Questions',
    noControls: "Aucun contrôle proposé n'a encore été ajouté.",
    contentsLabel: 'Sommaire',
    amendedOn: 'Modifié le',
    amendedLabel: 'Dernière modification',
    documentsHeading: "Documents d'appui",
    documentMeta: 'PDF, {{size}}',
    draftPreview: 'Aperçu : cette consultation est un brouillon. Seuls les agents peuvent la voir.',
    editRound: 'Modifier cette consultation',
    howHeading: 'Comment répondre',
    howWho:
      "Tout le monde peut répondre : entreprises, organisations professionnelles, universités et chercheurs, organisations de la société civile, syndicats, autorités publiques et particuliers, quel que soit le pays. Vous n'avez pas besoin de compte.",
    howPublish:
      'Vous choisissez si votre contribution est publiée avec votre nom ou celui de votre organisation, publiée de manière anonyme, ou non publiée. Vous pouvez signaler des éléments confidentiels pour raisons commerciales et en fournir une version publique. Les coordonnées de contact ne sont jamais publiées.',
    respond: 'Répondre à cette consultation',
    notOpenYet: "Cette consultation n'est pas encore ouverte aux contributions.",
    closedNow: "Cette consultation est clôturée : elle n'accepte plus de contributions.",
    responsesHeading: 'Contributions publiées',
    noPublishedResponses: "Aucune contribution n'a encore été publiée.",
    readResponses_one: 'Lire la contribution publiée',
    readResponses_many: 'Lire les {{formatted}} de contributions publiées',
    readResponses_other: 'Lire les {{formatted}} contributions publiées',
    byType: 'Contributions publiées par type de répondant',
    byCountry: 'Contributions publiées par pays',
    respondentType: 'Type de répondant',
    country: 'Pays',
    responses: 'Contributions',
  },
  rounds: {
    title: 'Toutes les consultations',
    searchLabel: 'Rechercher des consultations',
    query: 'Mots du titre ou du résumé',
    status: 'Statut',
    anyStatus: 'Tous les statuts',
    commitment: 'Engagement du Code de conduite',
    anyCommitment: 'Tous les engagements',
    apply: 'Rechercher',
    found_one: '{{count}} consultation trouvée',
    found_many: '{{count}} de consultations trouvées',
    found_other: '{{count}} consultations trouvées',
    none: 'Aucune consultation ne correspond à votre recherche. Essayez avec moins de mots ou un autre statut.',
  },
  respondentTypes: {
    company: 'Entreprise',
    business_association: 'Organisation professionnelle',
    academic: 'Établissement universitaire ou de recherche',
    ngo: 'ONG ou organisation de la société civile',
    trade_union: 'Syndicat',
    public_authority: 'Autorité publique',
    individual: 'Particulier',
    other: 'Autre',
  },
  positions: {
    support: 'Favorable',
    support_with_changes: 'Favorable sous réserve de modifications',
    oppose: 'Défavorable',
    no_position: 'Sans position',
  },
  organisationSizes: {
    micro: 'Moins de 10 personnes',
    small: '10 à 49 personnes',
    medium: '50 à 249 personnes',
    large: '250 personnes ou plus',
  },
  publication: {
    named: 'Publier ma contribution avec mon nom ou celui de mon organisation',
    namedHint:
      'Les organisations apparaissent sous leur nom. Les particuliers apparaissent sous le nom indiqué ci-dessus ou, à défaut, avec la mention « Nom non communiqué ».',
    anonymous: 'Publier ma contribution sans aucun nom',
    anonymousHint:
      "Votre contribution est publiée, mais pas l'identité de son auteur : ni nom, ni organisation. Votre type de répondant et votre pays sont indiqués.",
    not_published: 'Ne pas publier ma contribution',
    not_publishedHint:
      'Seuls les agents chargés de la consultation la lisent. Elle est tout de même prise en compte dans les statistiques.',
  },
  responseStatus: {
    draft: 'Brouillon (non envoyé)',
    received: 'Reçue, pas encore publiée',
    published: 'Publiée',
    withheld: 'Écartée de la publication',
    spam: 'Mise de côté comme indésirable',
    withdrawn: 'Retirée',
  },
  respond: {
    title: 'Répondre à la consultation',
    intro:
      'Répondez sur les points de votre choix : vous pouvez commenter la consultation dans son ensemble, un ou plusieurs des contrôles proposés, ou les deux. Les champs indiqués comme facultatifs peuvent rester vides.',
    deadline: 'Clôture des contributions le',
    lateNotice:
      'La consultation est clôturée, mais elle accepte encore les contributions tardives. La vôtre sera signalée comme tardive.',
    notOpenYet: "Cette consultation n'est pas encore ouverte aux contributions. Elle ouvrira le",
    closed:
      "Cette consultation est clôturée et n'accepte plus de contributions. Elle a été clôturée le",
    contactInstead: 'Pour toute question dès maintenant, écrivez à {{contact}}.',
    closedWhileWriting:
      "La consultation a été clôturée pendant que vous rédigiez : votre contribution n'a donc pas été envoyée",
    closedKeepCopy:
      "La consultation a été clôturée pendant que vous rédigiez : votre contribution n'a donc pas été envoyée. Tout ce que vous avez écrit figure encore ci-dessous : copiez-le pour le conserver, ou envoyez-le à {{contact}}.",
    tooLarge:
      "Votre contribution était trop volumineuse pour être reçue. Chaque fichier peut faire 10 Mo au maximum, et l'ensemble de la contribution 100 Mo au maximum. Revenez en arrière, supprimez ou réduisez des fichiers, puis envoyez-la à nouveau : votre navigateur devrait avoir conservé votre texte.",
    rateLimited_one:
      "Trop de contributions viennent d'être envoyées depuis votre connexion. Attendez {{count}} minute, puis envoyez à nouveau : votre texte est conservé ci-dessous",
    rateLimited_many:
      "Trop de contributions viennent d'être envoyées depuis votre connexion. Attendez {{count}} de minutes, puis envoyez à nouveau : votre texte est conservé ci-dessous",
    rateLimited_other:
      "Trop de contributions viennent d'être envoyées depuis votre connexion. Attendez {{count}} minutes, puis envoyez à nouveau : votre texte est conservé ci-dessous",
    filesNotKept:
      "Pour votre sécurité, les navigateurs ne peuvent pas conserver les fichiers choisis après un problème : choisissez à nouveau vos fichiers avant l'envoi.",
    draftRestored: 'Voici votre brouillon enregistré le',
    filesNotInDraft:
      "Les fichiers ne sont pas conservés dans les brouillons : joignez-les avant l'envoi.",
    honeypot: 'Laissez ce champ vide',
    aboutHeading: 'À propos de vous',
    respondentType: 'En quelle qualité répondez-vous ?',
    organisation: 'Nom de votre organisation (organisations uniquement)',
    organisationHint:
      'Obligatoire, sauf si vous répondez en tant que particulier. Publié uniquement si vous choisissez une publication avec votre nom.',
    authorName: 'Votre nom (particuliers, facultatif)',
    authorNameHint:
      'Affiché avec votre contribution uniquement si vous choisissez de la publier avec votre nom.',
    country: 'Pays',
    countryHint:
      'Pays où vous ou votre organisation êtes établis. Affiché avec les contributions publiées.',
    chooseCountry: 'Choisissez un pays',
    organisationSize: 'Taille de votre organisation (facultatif)',
    organisationSizeHint:
      "Nombre de personnes qu'elle emploie ou qui y travaillent. Laissez ce champ vide si vous répondez en tant que particulier.",
    registerId:
      "Numéro d'inscription au registre de transparence ou au registre du commerce (facultatif)",
    registerIdHint: "Par exemple, un numéro du registre de transparence de l'UE. Jamais publié.",
    contactName: 'Nom de contact (facultatif)',
    contactHint:
      'Visible uniquement par les agents chargés de la consultation, pour vous contacter au sujet de votre contribution. Jamais publié.',
    contactEmail: 'Adresse électronique pour votre accusé de réception (facultatif)',
    contactEmailHint:
      "Nous y envoyons votre accusé de réception et votre lien privé, et ne l'utilisons que pour cette contribution. Jamais publiée.",
    viewsHeading: 'Votre avis',
    viewsIntro: "Chaque champ de texte peut contenir jusqu'à {{max}} caractères.",
    wholeRound: 'La consultation dans son ensemble',
    position: 'Votre position sur {{subject}}',
    notCommenting: 'Je ne me prononce pas sur ce point',
    comments: 'Vos commentaires sur {{subject}} (facultatif)',
    commentsHint: 'Texte brut. Les liens sont affichés sous forme de texte.',
    filesHeading: 'Pièces jointes',
    existingFiles: 'Fichiers déjà joints : cochez ceux à supprimer',
    removeFile: 'Supprimer {{name}} ({{size}})',
    confidentialFile: 'confidentiel (secret des affaires)',
    files: 'Fichiers que vous acceptez de publier (facultatif)',
    filesHint_one:
      'PDF, Word (DOCX), OpenDocument (ODT), texte brut, PNG ou JPEG : {{count}} fichier de {{size}} au maximum.',
    filesHint_many:
      'PDF, Word (DOCX), OpenDocument (ODT), texte brut, PNG ou JPEG : {{count}} de fichiers au maximum au total, de {{size}} chacun au plus.',
    filesHint_other:
      'PDF, Word (DOCX), OpenDocument (ODT), texte brut, PNG ou JPEG : {{count}} fichiers au maximum au total, de {{size}} chacun au plus.',
    confidentialFiles: 'Fichiers confidentiels au titre du secret des affaires (facultatif)',
    confidentialFilesHint: 'Ces fichiers ne sont jamais publiés. Expliquez pourquoi ci-dessous.',
    confidentialHeading: 'Informations confidentielles (secret des affaires)',
    confidentialIntro:
      "Si votre contribution contient des secrets d'affaires ou d'autres informations commercialement sensibles, signalez-le ici. Seule la version publique que vous rédigez ci-dessous pourra être publiée.",
    confidential: 'Ma contribution contient des informations confidentielles (secret des affaires)',
    justification:
      'Pourquoi ces informations sont-elles confidentielles ? (obligatoire si vous signalez un élément confidentiel)',
    justificationHint:
      'Par exemple : elles révèlent des clients, des volumes de licences ou des produits non encore commercialisés.',
    publicVersion:
      'Version publique de votre contribution (obligatoire si votre contribution est confidentielle)',
    publicVersionHint:
      "Une version non confidentielle ou un résumé : c'est ce texte qui est publié.",
    publicationHeading: 'Publication de votre contribution',
    publication: 'Comment pouvons-nous publier votre contribution ?',
    privacyNote:
      "Vos coordonnées ne sont jamais publiées. L'avis de confidentialité explique ce que nous conservons et pendant combien de temps.",
    submit: 'Envoyer la contribution',
    saveDraft: 'Enregistrer en brouillon',
  },
  receipt: {
    title: 'Contribution {{tracking}}',
    editTitle: 'Modifier la contribution {{tracking}}',
    back: 'Retour à la contribution {{tracking}}',
    received: 'Contribution reçue',
    trackingLabel: 'Votre numéro de suivi',
    linkHeading: 'Votre lien privé',
    linkExplain:
      "Gardez ce lien privé : toute personne qui le détient peut lire, modifier ou retirer votre contribution jusqu'à la clôture de la consultation. Enregistrez-le ou ajoutez-le à vos favoris dès maintenant : nous ne pourrons plus vous l'afficher.",
    emailSent: 'Nous avons envoyé votre accusé de réception et ce lien à {{email}}.',
    status: 'Statut',
    late: 'reçue après la date de clôture',
    reason: 'Motif indiqué : {{reason}}',
    sent: 'Envoi',
    contact: 'Coordonnées (jamais publiées)',
    yourViews: 'Votre avis',
    edited: 'Vos modifications ont été enregistrées.',
    changeHeading: 'Modifier ou retirer votre contribution',
    changeUntil:
      "Vous pouvez modifier ou retirer votre contribution jusqu'à la clôture de la consultation :",
    edit: 'Modifier votre contribution',
    saveChanges: 'Enregistrer les modifications',
    confirmLabel: 'Je souhaite retirer ma contribution',
    withdraw: 'Retirer la contribution',
    confirmWithdraw: 'Cochez la case pour confirmer que vous souhaitez retirer votre contribution',
    withdrawn:
      'Vous avez retiré cette contribution. Elle ne sera pas publiée, et vos coordonnées ont été supprimées.',
    tooLateToWithdraw:
      'La consultation est clôturée : votre contribution ne peut plus être retirée',
    tooLateToEdit:
      "La consultation est clôturée : vos modifications n'ont donc pas été enregistrées. Elles figurent encore ci-dessous : copiez-les pour les conserver",
    closedNoChanges:
      'La consultation est clôturée : votre contribution ne peut plus être modifiée ni retirée. Pour toute question à son sujet, écrivez à {{contact}}.',
    emailSubject: 'Votre contribution {{tracking}} a bien été reçue',
    emailBody:
      "Merci d'avoir répondu à la consultation « {{title}} ».\n\nVotre numéro de suivi : {{tracking}}\n\nVotre lien privé, pour lire, modifier ou retirer votre contribution jusqu'à la clôture de la consultation :\n{{link}}\n\nGardez ce lien privé : toute personne qui le détient peut modifier votre contribution.\n",
  },
  publicResponses: {
    title: 'Contributions publiées',
    intro_one:
      "{{count}} contribution est publiée, présentée comme son auteur l'a choisi : avec un nom ou de manière anonyme.",
    intro_many:
      "{{count}} de contributions sont publiées, chacune présentée comme son auteur l'a choisi : avec un nom ou de manière anonyme.",
    intro_other:
      "{{count}} contributions sont publiées, chacune présentée comme son auteur l'a choisi : avec un nom ou de manière anonyme.",
    anonymous: 'Répondant anonyme',
    confidentialNote:
      "Ce répondant a signalé sa contribution comme confidentielle pour raisons commerciales ; voici la version publique qu'il a fournie.",
    wholeRound: 'Sur la consultation dans son ensemble',
    position: 'Position :',
    pages: 'Pages de contributions',
    newest: 'Contributions les plus récentes',
    older: 'Contributions plus anciennes',
  },
  manage: {
    title: 'Gérer les consultations',
    newRound: 'Créer un cycle de consultation',
    newRoundIntro:
      "Un nouveau cycle de consultation est d'abord créé en brouillon, visible uniquement par les agents. Ajoutez-y les contrôles proposés, prévisualisez-le, puis programmez-le ou ouvrez-le.",
    createRound: 'Créer la consultation en brouillon',
    backToList: 'Retour à toutes les consultations',
    backToRound: 'Retour à {{title}}',
    roundsCaption_one: '{{count}} consultation, brouillons compris',
    roundsCaption_many: '{{count}} de consultations, brouillons compris',
    roundsCaption_other: '{{count}} consultations, brouillons compris',
    publicAddress: 'Page publique',
    preview: 'Prévisualiser le brouillon',
    field: {
      title: 'Titre',
      slug: 'Adresse web (identifiant)',
      summary: 'Résumé',
      background: 'Contexte',
      commitments: 'Engagements du Code de conduite auxquels répond cette consultation',
      timeZone: 'Fuseau horaire des dates',
      opensAt: 'Ouverture',
      closesAt: 'Clôture',
      lateCommentsAllowed:
        'Accepter les contributions tardives (elles sont signalées comme telles)',
      contactPoint: 'Point de contact',
      reference: 'Référence',
      body: 'Texte du contrôle proposé',
      questions: 'Questions aux répondants',
    },
    slugHint:
      "Lettres minuscules, chiffres et traits d'union, par exemple controle-logiciels-espions-2027. L'adresse ne peut plus être modifiée une fois la consultation publiée.",
    slugLocked: '(non modifiable après publication, car des liens y renvoient)',
    summaryHint: 'Une ou deux phrases, affichées dans les listes de consultations.',
    markdownHint:
      'Markdown : ## pour un titre, * pour une liste, [texte](https://…) pour un lien. Le code HTML est affiché sous forme de texte.',
    timeZoneHint:
      "Les dates d'ouverture et de clôture sont saisies dans ce fuseau horaire ; les lecteurs les voient dans le leur.",
    dateHint:
      "Date et heure dans le fuseau horaire ci-dessus. Laissez ce champ vide tant qu'elles ne sont pas connues.",
    contactHint:
      'Une équipe et une adresse auxquelles le public peut écrire pour poser ses questions.',
    referenceHint:
      'Une entrée de liste de contrôle, par exemple 4A005, ou un libellé, par exemple Point 3 du projet.',
    questionsHint: 'Une question par ligne, 20 au maximum.',
    detailsHeading: 'Informations générales',
    saveDetails: 'Enregistrer les informations',
    amendWarning:
      'Cette consultation est ouverte ou clôturée : les changements sont consignés et signalés aux lecteurs comme des modifications.',
    lifecycleHeading: 'Publication',
    lifecycleHelp: {
      draft:
        "Seuls les agents peuvent voir ce brouillon. Programmez-le pour le publier dès maintenant et l'ouvrir à sa date d'ouverture, ou ouvrez-le immédiatement.",
      upcoming:
        "Publiée : les lecteurs peuvent la consulter, et elle s'ouvrira aux contributions à sa date d'ouverture.",
      open: "Ouverte aux contributions jusqu'à sa date de clôture.",
      closed:
        "Clôturée : elle n'accepte plus de contributions (sauf les contributions tardives, si elles sont autorisées). Archivez-la une fois son rapport publié.",
      archived: 'Archivée : conservée pour mémoire.',
    },
    transition: {
      schedule: 'Programmer',
      open: 'Ouvrir maintenant',
      close: 'Clôturer maintenant',
      archive: 'Archiver',
      unschedule: 'Remettre en brouillon',
    },
    transitionNotAllowed: "Cette étape n'est pas possible dans l'état actuel de la consultation.",
    needFutureOpening: "Indiquez une date d'ouverture à venir avant de programmer la consultation.",
    needClosing: 'Indiquez une date de clôture avant de programmer la consultation.',
    needFutureClosing: "Indiquez une date de clôture à venir avant d'ouvrir la consultation.",
    needControl: "Ajoutez d'abord au moins un contrôle proposé.",
    structureHint:
      "Vous pouvez ajouter, réordonner et supprimer des contrôles jusqu'à l'ouverture de la consultation.",
    structureLockedHint:
      'La consultation a été ouverte : les contrôles peuvent encore être corrigés, et chaque changement est signalé comme une modification, mais aucun contrôle ne peut être ajouté, déplacé ou supprimé.',
    structureLocked:
      'Les contrôles ne peuvent plus être ajoutés, déplacés ou supprimés une fois la consultation ouverte.',
    addControl: 'Ajouter un contrôle proposé',
    editControl: 'Modifier {{reference}}',
    editControlLabel: 'Modifier {{reference}}',
    saveControl: 'Enregistrer le contrôle',
    amendControlWarning:
      "La consultation est ouverte : l'enregistrement consigne une modification que les lecteurs verront.",
    edit: 'Modifier',
    'move-up': 'Monter',
    'move-upLabel': 'Déplacer {{reference}} vers le haut',
    'move-down': 'Descendre',
    'move-downLabel': 'Déplacer {{reference}} vers le bas',
    'remove-control': 'Supprimer',
    'remove-controlLabel': 'Supprimer {{reference}}',
    noDocuments: "Aucun document d'appui pour le moment.",
    addDocument: "Ajouter un document d'appui",
    documentTitle: 'Titre du document',
    documentFile: 'Fichier PDF',
    documentHint: 'Un fichier PDF de {{size}} au maximum.',
    chooseAgain: 'Choisissez à nouveau le fichier.',
    upload: 'Téléverser le document',
    removeDocument: 'Supprimer',
    removeDocumentLabel: 'Supprimer {{title}}',
    notice: {
      created:
        'La consultation a été créée en brouillon. Ajoutez-y ci-dessous les contrôles proposés.',
      saved: 'Les informations ont été enregistrées.',
      schedule:
        "La consultation est programmée : elle est publiée et s'ouvrira à sa date d'ouverture.",
      open: 'La consultation est ouverte aux contributions.',
      close: 'La consultation est clôturée.',
      archive: 'La consultation est archivée.',
      unschedule: 'La consultation est repassée en brouillon.',
      control: 'Les contrôles proposés ont été mis à jour.',
      document: "Les documents d'appui ont été mis à jour.",
    },
  },
  privacy: {
    title: 'Avis de confidentialité',
    lead: "Certaines des personnes qui répondent à ces consultations sont des défenseurs des droits humains surveillés par leur propre gouvernement. Nous avons conçu ce service pour recueillir le moins possible d'informations sur vous et ne publier que ce que vous choisissez.",
    collectHeading: 'Ce que nous recueillons',
    collectBody:
      "Votre contribution et les informations que vous donnez sur l'entité au nom de laquelle vous répondez : type de répondant, organisation, pays et, si vous le souhaitez, un nom et une adresse électronique de contact. Si vous créez un compte : votre adresse électronique, votre nom et une empreinte salée de votre mot de passe.",
    publishHeading: 'Ce que nous publions',
    publishBody:
      'Uniquement ce que vous avez choisi en répondant : votre contribution avec votre nom ou celui de votre organisation, votre contribution sans aucun nom, ou rien du tout. Les coordonnées de contact ne sont jamais publiées. Si vous signalez des éléments comme confidentiels pour raisons commerciales, seule la version non confidentielle que vous fournissez peut être publiée.',
    notCollectHeading: 'Ce que nous ne recueillons pas',
    notCollectBody:
      "Nous ne conservons aucune adresse IP : la protection contre les abus repose sur une empreinte à clé renouvelée régulièrement. Nous n'utilisons ni mesure d'audience, ni publicité, ni pistage, et ne chargeons aucune police, aucun script ni aucune image depuis d'autres sites. Les seuls cookies sont ceux dont le service a besoin : votre session si vous vous connectez, votre langue et votre fuseau horaire.",
    accessHeading: 'Qui peut voir votre contribution',
    accessBody:
      "Les agents de l'autorité consultante qui mènent la consultation. Chacune de leurs actions sur une contribution est consignée dans un journal d'audit.",
    rightsHeading: 'Vos choix',
    rightsBody:
      "Jusqu'à la clôture d'une consultation, vous pouvez modifier ou retirer votre contribution grâce au lien privé figurant sur votre accusé de réception. Vous pouvez supprimer votre compte à tout moment : les contributions que vous avez envoyées restent dans le dossier public telles que vous avez choisi de les publier, mais ne sont plus liées à vous.",
  },
  roles: {
    participant: 'Participant',
    official: 'Agent',
    admin: 'Administrateur',
  },
  forms: {
    errorSummaryTitle: 'Il y a un problème',
    errorPrefix: 'Erreur :',
  },
  validation: {
    required: 'Ce champ est obligatoire',
    emailRequired: 'Saisissez votre adresse électronique',
    emailInvalid: 'Saisissez une adresse électronique au bon format, par exemple nom@example.org',
    emailTaken:
      'Un compte existe déjà avec cette adresse électronique : connectez-vous, ou utilisez une autre adresse',
    passwordRequired: 'Saisissez votre mot de passe',
    passwordShort: "Saisissez un mot de passe d'au moins 12 caractères",
    passwordLong: 'Saisissez un mot de passe de 256 caractères au maximum',
    passwordCommon: 'Ce mot de passe est trop facile à deviner : choisissez-en un autre',
    nameRequired: 'Saisissez un nom',
    nameLong: 'Saisissez un nom de 100 caractères au maximum',
    roleInvalid: 'Choisissez un rôle',
    tooLong: 'Ce texte est trop long',
    titleRequired: 'Saisissez un titre',
    slugInvalid:
      "Saisissez une adresse web de 3 à 80 caractères : lettres minuscules, chiffres et traits d'union non consécutifs",
    slugTaken: 'Une autre consultation utilise déjà cette adresse web : choisissez-en une autre',
    timeZoneInvalid: 'Choisissez un fuseau horaire dans la liste',
    dateInvalid: 'Saisissez une date et une heure valides',
    timeNonexistent:
      "Cette heure n'existe pas dans ce fuseau horaire, car les horloges y sont avancées d'une heure à ce moment-là. Choisissez un horaire une heure plus tard",
    closeBeforeOpen: "La date de clôture doit être postérieure à la date d'ouverture",
    referenceRequired: 'Saisissez une référence',
    tooManyQuestions: 'Posez 20 questions au maximum',
    fileRequired: 'Choisissez un fichier',
    fileTooLarge: 'Le fichier est trop volumineux',
    notPdf: 'Le fichier doit être au format PDF',
    textTooLong: 'Ce texte doit comporter moins de 50 000 caractères',
    formExpired: 'Ce formulaire a expiré : rechargez la page et envoyez-le à nouveau',
    honeypot: "Votre contribution n'a pas pu être envoyée : veuillez l'envoyer à nouveau",
    respondentTypeRequired: 'Indiquez en quelle qualité vous répondez',
    organisationRequired: 'Saisissez le nom de votre organisation, ou choisissez « Particulier »',
    countryRequired: 'Choisissez un pays',
    publicationRequired: 'Choisissez comment votre contribution peut être publiée',
    positionInvalid: "Choisissez l'une des positions proposées",
    positionRequired:
      'Indiquez votre position, ou « Sans position », pour le texte que vous avez rédigé',
    nothingToSend:
      'Donnez votre position ou vos commentaires sur la consultation ou sur au moins un contrôle proposé',
    justificationRequired: 'Expliquez pourquoi ces informations sont confidentielles',
    publicVersionRequired: 'Rédigez une version publique de votre contribution',
    tooManyFiles: 'Joignez 10 fichiers au maximum',
    attachmentTooLarge: 'Chaque fichier doit faire 10 Mo au maximum',
    fileTypeMismatch:
      'Le nom d’un fichier ne correspond pas à son contenu (par exemple une image nommée .pdf) : renommez-le ou choisissez le bon fichier',
    fileTypeNotAllowed:
      "Les fichiers doivent être au format PDF, DOCX, ODT, texte brut, PNG ou JPEG : l'un d'eux est d'un autre type, quel que soit son nom",
  },
  signin: {
    title: 'Se connecter',
    why: "Vous n'avez pas besoin d'un compte pour répondre à une consultation. Un compte vous permet de retrouver vos contributions et d'enregistrer une contribution en brouillon.",
    email: 'Adresse électronique',
    password: 'Mot de passe',
    submit: 'Se connecter',
    invalid: "L'adresse électronique ou le mot de passe est incorrect",
    throttled_one:
      'Trop de tentatives de connexion ont échoué. Attendez {{count}} minute, puis réessayez',
    throttled_many:
      'Trop de tentatives de connexion ont échoué. Attendez {{count}} de minutes, puis réessayez',
    throttled_other:
      'Trop de tentatives de connexion ont échoué. Attendez {{count}} minutes, puis réessayez',
    noAccount: 'Pas encore de compte ? <a>Créer un compte</a>.',
  },
  signup: {
    title: 'Créer un compte',
    name: 'Votre nom',
    nameHint: 'Visible uniquement par vous et par les agents qui mènent les consultations.',
    email: 'Adresse électronique',
    emailHint: "Elle sert à vous connecter. Elle n'est jamais publiée.",
    password: 'Mot de passe',
    passwordHint:
      'Au moins 12 caractères. Quelques mots sans rapport entre eux forment un mot de passe robuste et facile à retenir.',
    submit: 'Créer le compte',
    haveAccount: 'Vous avez déjà un compte ? <a>Connectez-vous</a>.',
  },
  account: {
    title: 'Votre compte',
    signedInAs: 'Connecté en tant que {{email}}',
    notice: {
      welcome: 'Votre compte a été créé et vous êtes connecté.',
      name: 'Votre nom a été modifié.',
      password: 'Votre mot de passe a été modifié et vos autres appareils ont été déconnectés.',
      revoked: 'Cet appareil a été déconnecté.',
      'revoked-others': 'Tous vos autres appareils ont été déconnectés.',
      draft: 'Votre brouillon a été enregistré. Vous le retrouverez ici à votre retour.',
    },
    nameHeading: 'Votre nom',
    saveName: 'Enregistrer le nom',
    passwordHeading: 'Modifier votre mot de passe',
    currentPassword: 'Mot de passe actuel',
    newPassword: 'Nouveau mot de passe',
    savePassword: 'Modifier le mot de passe',
    currentWrong: 'Le mot de passe est incorrect',
    sessionsHeading: 'Appareils connectés',
    sessionDevice: 'Appareil',
    sessionStarted: 'Connexion',
    sessionLastSeen: 'Dernière activité',
    sessionActions: 'Actions',
    thisDevice: 'cet appareil',
    unknownDevice: 'Appareil inconnu',
    revoke: 'Déconnecter',
    revokeLabel: 'Déconnecter {{device}}',
    revokeCurrent: 'Déconnecter cet appareil',
    revokeOthers: 'Déconnecter tous les autres appareils',
    deleteHeading: 'Supprimer votre compte',
    deleteBody:
      "Votre compte et toutes ses connexions sont supprimés immédiatement. Les contributions que vous avez envoyées restent dans le dossier de la consultation, publiées comme vous l'avez choisi, mais ne sont plus liées à vous : vous ne les retrouverez plus ici.",
    deletePassword: 'Saisissez votre mot de passe pour confirmer',
    deleteSubmit: 'Supprimer mon compte',
    lastAdmin:
      'Vous êtes le seul administrateur. Désignez un autre compte comme administrateur avant de supprimer le vôtre.',
    responsesHeading: 'Vos contributions',
    noResponses: "Vous n'avez répondu à aucune consultation en étant connecté.",
    responseRound: 'Consultation',
    responseDate: 'Dernière modification',
    continueDraft: 'Reprendre votre brouillon pour {{title}}',
  },
  admin: {
    usersTitle: 'Utilisateurs',
    usersCaption_one: '{{count}} compte',
    usersCaption_many: '{{count}} de comptes',
    usersCaption_other: '{{count}} comptes',
    name: 'Nom',
    email: 'Adresse électronique',
    since: 'Création',
    role: 'Rôle',
    roleFor: 'Rôle de {{email}}',
    changeRole: 'Modifier le rôle',
    changeRoleFor: 'Modifier le rôle de {{email}}',
    createHeading: 'Créer un compte pour un agent',
    createHint:
      'Transmettez au nouvel agent son mot de passe initial par un canal sécurisé et demandez-lui de le modifier lors de sa première connexion.',
    initialPassword: 'Mot de passe initial',
    create: 'Créer le compte',
    created: 'Le compte de {{email}} a été créé.',
    roleChanged:
      'Le rôle de {{email}} a été modifié. Cette personne a été déconnectée de tous ses appareils.',
    lastAdmin:
      "Le portail doit conserver au moins un administrateur : désignez d'abord un autre compte comme administrateur.",
  },
  errors: {
    notFoundTitle: 'Page introuvable',
    notFoundBody:
      "Si vous avez saisi l'adresse, vérifiez qu'elle est correcte. Si vous l'avez collée, vérifiez que vous avez copié l'adresse entière.",
    forbiddenTitle: "Vous n'avez pas accès à cette page",
    forbiddenBody: "Connectez-vous avec un compte qui y a accès, ou revenez à la page d'accueil.",
    serverTitle: 'Désolé, le service rencontre un problème',
    serverBody:
      "Réessayez plus tard. Si le problème est survenu pendant l'envoi d'un formulaire, votre saisie n'a pas été enregistrée.",
    genericTitle: 'Une erreur est survenue',
    statusCode: 'Erreur {{status}}',
    backHome: "Aller à la page d'accueil",
  },
}

// Fails to compile if a key of the English reference is missing here.
const checked: LocaleShape<Translation> = fr
export default checked

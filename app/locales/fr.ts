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
    languageLabel: 'Langue',
    timesShownIn: 'Les heures sont indiquées en {{zone}}.',
    footerLabel: 'Informations sur le site',
    footerAbout:
      "Consultations tenues au titre de l'engagement 2 du Code de conduite de l'Initiative sur le contrôle des exportations et les droits humains : consulter le secteur privé, le monde universitaire et la société civile sur les préoccupations en matière de droits humains et la mise en œuvre efficace des contrôles à l'exportation.",
    footerPrivacy: 'Avis de confidentialité',
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

/**
 * The fixed texts of the guide's model convention de partenariat, quoted from knowledge/sources/003
 * (Fiche 4 « Contractualisation/financement », « La convention de partenariat », and « Engagements
 * financiers »), with French typography (’ « ») and nothing else changed. Where the model leaves a blank
 * (« …. (objectif général) »), the draft puts the fiches' values or a marked blank in its place.
 */

export const CONVENTION = {
  title: 'Convention de partenariat relative à',
  between: 'Entre :',
  ars: 'L’Agence Régionale de Santé Île-de-France (ARS-IDF), représentée par le Délégué départemental',
  and: 'Et',
  parties: 'Ci-après dénommées, ensemble les « Parties » et individuellement la « Partie ».',
  agreed: 'Il est convenu ce qui suit :',
  preamble: {
    title: 'Préambule',
    mobilise:
      'Il est apparu nécessaire de mobiliser et coordonner les actions de chacun des acteurs, dans leurs domaines de compétences respectifs, afin de proposer',
    commit:
      'Considérant l’ensemble de ces éléments, les parties prenantes souhaitent s’engager de manière partenariale au déploiement d’un programme de',
    approach:
      'dans le cadre de la démarche « coopérative d’acteurs en promotion de la santé » initiée par l’ARS-IDF.',
  },
  article1: {
    title: 'Article 1 – Objet de la convention',
    object:
      'Par la présente convention, les signataires s’engagent, conformément à leurs missions et domaines de compétences respectifs, à mettre en œuvre, suivre et adapter en cohérence avec les orientations mentionnées en préambule, un programme relatif à',
    objectives:
      'Le programme doit répondre aux objectifs définis en commun à partir du diagnostic initial, à savoir :',
  },
  article2: { title: 'Article 2 – Descriptif des actions du programme' },
  article3: {
    title: 'Article 3 – Conditions de détermination des contributions financières',
    text: 'L’ARS s’engage à contribuer au soutien financier du programme dans des proportions et selon des modalités qui sont déterminés respectivement et parallèlement. Le budget alloué est réparti en fonction de la contribution propre à chacun des intervenants dans les actions du programme.',
  },
  article4: {
    title: 'Article 4 – Pilotage et suivi de la coopérative d’acteurs',
    steering: {
      title: '4.1 Comité de pilotage',
      committee:
        'Le pilotage et le suivi du programme seront réalisés dans le cadre d’un Comité technique « Santé » co-piloté par l’ARS et, en lien avec',
      members: 'Ce comité associera',
      purpose:
        'Il aura pour objectif de définir les modalités de mise en œuvre des actions mises en place dans le cadre du projet, d’échanger sur les pratiques respectives, d’évaluer les résultats recensés dans les bilans d’activité et les tendances se dégageant du programme et enfin, de procéder aux ajustements nécessaires pour la bonne marche de ce dernier.',
    },
    meetings: {
      title: '4.2 Réunions opérationnelles',
      text: 'Les parties procéderont à des réunions opérationnelles nécessaires à la mise en œuvre et à l’évaluation du programme à une périodicité qu’elles définiront conjointement.',
      indicators:
        'Elles devront déterminer, avant le démarrage du programme, les indicateurs d’évaluation (processus, activité et résultats) qui permettront d’alimenter le bilan annuel.',
    },
    quarterly: {
      title: '4.3 Bilans trimestriels',
      text: 'Des bilans trimestriels devront être établis par les parties prenantes et transmis à l’ARS.',
    },
    annual: {
      title: '4.4 Bilan annuel',
      text: 'Une réunion élargie entre les différentes parties devant permettre de dresser un bilan complet, devra avoir lieu deux mois avant l’échéance annuelle. Il servira, par ailleurs, à déterminer la reconduction ou non d’une action engagée.',
    },
  },
  article5: {
    title: 'Article 5 – Durée, modification et résiliation de la convention',
    paragraphs: [
      'Cette convention prendra effet à compter de sa signature et perdura un an renouvelable de manière expresse.',
      'Toute proposition de modification de la présente convention ne pourra être prise en compte qu’après la signature d’un avenant par les parties signataires.',
      'Elle peut être résiliée à tout moment par l’une ou l’autre partie au moyen d’une lettre recommandée avec avis de réception adressée à chacune des autres parties. La résiliation de la convention prendra effet un mois après la réception de cette lettre.',
    ],
  },
  signatures: {
    title: 'Signatures des parties',
    delegate: 'Le Délégué départemental de',
    agency: 'de l’Agence Régionale de Santé IDF',
  },
  /** « Engagements financiers », the two cases, word for word. */
  funding: {
    below: 'Une décision d’attribution de subvention si le montant maximal est inférieur à 23 000€.',
    above:
      'Une convention « classique » (annuelle ou pluriannuelle) si la subvention est égale ou supérieure à 23 000 euros par an.',
  },
} as const;

/**
 * Words a référent uses for what the documents say with another word: a question about the « fréquence »
 * of meetings is answered by their « périodicité », « qui a rédigé » by the « rédacteurs ». Each group holds
 * interchangeable words (or short phrases) of project methodology in French; a question that uses one is
 * also searched with the others, at a lower weight. Written from the field's vocabulary, not from questions.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['fréquence', 'périodicité', 'rythme', 'régularité', 'tous les combien', 'combien de fois'],
  ['durée', 'combien de temps', 'pluriannuel', 'pluriannuelle', 'longtemps'],
  ['réunir', 'réunion', 'réunions', 'rencontre', 'rencontres'],
  ['rédiger', 'rédaction', 'rédacteurs', 'écrire', 'écriture', 'auteur', 'auteurs'],
  ['relire', 'relu', 'relecture', 'relecteurs'],
  ['modifier', 'modification', 'avenant', 'changer'],
  ['contenir', 'contenu', 'comporter', 'présenter', 'comprendre'],
  ['financer', 'financement', 'financements', 'financeur', 'subvention', 'budget', 'cofinancer'],
  ['coût', 'montant', 'prix', 'tarif'],
  ['quitter', 'sortir', 'retirer', 'partir'],
  ['commune', 'ville', 'mairie', 'municipalité'],
  ['aider', 'aide', 'appui', 'appuyer', 'soutien', 'soutenir', 'accompagner', 'accompagnement'],
  ['démarrer', 'démarrage', 'lancer', 'lancement', 'commencer', 'débuter', 'début', 'initier'],
  ['objectif', 'but', 'finalité', 'viser'],
  ['rôle', 'mission', 'missions', 'fonction'],
  ['avantage', 'avantages', 'bénéfice', 'bénéfices', 'intérêt', 'plus-value', 'valeur ajoutée', 'apport'],
  ['siéger', 'membre', 'membres', 'composé', 'composition', 'associer'],
  ['mesurer', 'évaluer', 'quantifier'],
  ['inégalités', 'écarts', 'disparités'],
  ['habitants', 'population', 'citoyens', 'usagers'],
  ['école', 'scolaire', 'rectorat', 'rectorats'],
  ['philosophie', "état d'esprit", 'posture', 'attitude'],
  ['recommander', 'préconiser', 'conseiller'],
  ['données', 'chiffres', 'statistiques'],
  ['diagnostic', 'état des lieux'],
  ['signer', 'signature', 'signataires'],
  ['pilote', 'piloter', 'pilotage', 'diriger', 'coordonner', 'coordination'],
  ['territoire', 'périmètre', 'échelle'],
  ['obligatoire', 'obligatoirement', 'imposé'],
  ['exemple', 'illustration'],
];

import { describe, expect, it } from 'vitest';
import {
  type ChoiceOption,
  OTHER_CHOICE_ID,
  parseChoice,
  parseList,
  parseYesNo,
  parseYesNoPartial,
} from '../../../bot/core/french/index.ts';

describe('parseList', () => {
  const cases: [string, string[]][] = [
    ['jeunes, parents et enseignants', ['jeunes', 'parents', 'enseignants']],
    ['jeunes, parents, enseignants.', ['jeunes', 'parents', 'enseignants']],
    ['jeunes ; parents ; enseignants', ['jeunes', 'parents', 'enseignants']],
    ['jeunes (12-25 ans, scolarisés), parents', ['jeunes (12-25 ans, scolarisés)', 'parents']],
    [
      '- jeunes 12-25 ans\n- parents\n- enseignants (collèges, lycées)',
      ['jeunes 12-25 ans', 'parents', 'enseignants (collèges, lycées)'],
    ],
    ['• jeunes\n• parents', ['jeunes', 'parents']],
    ['* jeunes\n* parents', ['jeunes', 'parents']],
    ['1. jeunes\n2. seniors\n3) aidants', ['jeunes', 'seniors', 'aidants']],
    ['jeunes\n\n\nparents\n', ['jeunes', 'parents']],
    ['jeunes; parents; autre : élus locaux', ['jeunes', 'parents', 'autre : élus locaux']],
    ['prévention et promotion de la santé', ['prévention et promotion de la santé']],
    ['jeunes, Jeunes, parents', ['jeunes', 'parents']],
    [
      'santé mentale, nutrition, activité physique, et sommeil',
      ['santé mentale', 'nutrition', 'activité physique', 'sommeil'],
    ],
  ];
  it.each(cases)('%j', (text, items) => {
    expect(parseList(text)).toMatchObject({ ok: true, value: items });
  });

  it('echoes the count and the items', () => {
    expect(parseList('jeunes, parents et enseignants')).toMatchObject({
      echo: '3 éléments : jeunes ; parents ; enseignants',
    });
    expect(parseList('jeunes')).toMatchObject({ echo: '1 élément : jeunes' });
  });

  it.each(['', '  \n - \n', ', ;'])('refuses the empty answer %j with an example', (text) => {
    expect(parseList(text)).toEqual({
      ok: false,
      message:
        'Je n’ai trouvé aucun élément. Écrivez-les séparés par des virgules ou un par ligne, par exemple « jeunes, parents, enseignants ».',
    });
  });
});

const PUBLICS: ChoiceOption[] = [
  { id: 'jeunes', label: 'Jeunes' },
  { id: 'seniors', label: 'Personnes âgées', synonyms: ['seniors', 'aînés'] },
  { id: 'precarite', label: 'Personnes en situation de précarité' },
  { id: 'parents', label: 'Parents' },
  { id: 'professionnels', label: 'Professionnels de santé' },
];
const LISTED =
  'Répondez par un numéro ou un libellé : 1. Jeunes ; 2. Personnes âgées ; 3. Personnes en situation de précarité ; 4. Parents ; 5. Professionnels de santé';

describe('parseChoice, one answer', () => {
  const cases: [string, string][] = [
    ['2', 'seniors'],
    ['2.', 'seniors'],
    ['le 2', 'seniors'],
    ['n°2', 'seniors'],
    ['choix 2', 'seniors'],
    ['deuxième', 'seniors'],
    ['Jeunes', 'jeunes'],
    ['les jeunes', 'jeunes'],
    ['JEUNES', 'jeunes'],
    ['personnes agees', 'seniors'],
    ['Personnes âgées', 'seniors'],
    ['seniors', 'seniors'],
    ['aines', 'seniors'],
    ['précarité', 'precarite'],
    ['precarite', 'precarite'],
    ['parnts', 'parents'],
    ['profesionnels de sante', 'professionnels'],
    ['je dirais plutôt le 2', 'seniors'],
  ];
  it.each(cases)('%j → %s', (text, id) => {
    expect(parseChoice(text, PUBLICS)).toMatchObject({ ok: true, value: { id } });
  });

  it('echoes the label', () => {
    expect(parseChoice('2', PUBLICS)).toEqual({
      ok: true,
      value: { id: 'seniors' },
      echo: 'Personnes âgées',
    });
  });

  it('takes « autre : … » when allowed', () => {
    expect(parseChoice('autre : les élus', PUBLICS, { allowOther: true })).toEqual({
      ok: true,
      value: { id: OTHER_CHOICE_ID, other: 'les élus' },
      echo: 'autre : les élus',
    });
  });

  const refusals: [string, string][] = [
    ['personnes', `« personnes » correspond à plusieurs choix. ${LISTED}.`],
    ['9', `Je n’ai pas reconnu « 9 » parmi les choix. ${LISTED}.`],
    ['les chats', `Je n’ai pas reconnu « les chats » parmi les choix. ${LISTED}.`],
    ['1 et 2', `Un seul choix est attendu. ${LISTED}.`],
    ['', `Je n’ai pas reconnu de choix. ${LISTED}.`],
  ];
  it.each(refusals)('refuses %j listing the options', (text, message) => {
    expect(parseChoice(text, PUBLICS)).toEqual({ ok: false, message });
  });
});

describe('parseChoice, several answers', () => {
  const settings = { multiple: true as const, allowOther: true, max: 3 };
  const cases: [string, string[], string | undefined][] = [
    ['1 et 3', ['jeunes', 'precarite'], undefined],
    ['1, 3', ['jeunes', 'precarite'], undefined],
    ['1 3', ['jeunes', 'precarite'], undefined],
    ['1/3', ['jeunes', 'precarite'], undefined],
    ['jeunes, parents', ['jeunes', 'parents'], undefined],
    ['précarité et jeunes', ['precarite', 'jeunes'], undefined],
    ['Jeunes\nParents', ['jeunes', 'parents'], undefined],
    ['1, 3, autre : élus locaux', ['jeunes', 'precarite', OTHER_CHOICE_ID], 'élus locaux'],
    ['autres (précisez) : habitants du quartier', [OTHER_CHOICE_ID], 'habitants du quartier'],
    ['jeunes, autre, précisez : bailleurs sociaux', ['jeunes', OTHER_CHOICE_ID], 'bailleurs sociaux'],
    ['1 et 1', ['jeunes'], undefined],
  ];
  it.each(cases)('%j', (text, ids, other) => {
    const parsed = parseChoice(text, PUBLICS, settings);
    expect(parsed).toMatchObject({ ok: true, value: other === undefined ? { ids } : { ids, other } });
  });

  it('echoes every pick', () => {
    expect(parseChoice('1, 3, autre : élus', PUBLICS, settings)).toMatchObject({
      echo: 'Jeunes ; Personnes en situation de précarité ; autre : élus',
    });
  });

  it('refuses more picks than allowed, and an empty « autre »', () => {
    const options = `${LISTED} ; ou « autre : … » en précisant.`;
    expect(parseChoice('1 2 3 4', PUBLICS, settings)).toEqual({
      ok: false,
      message: `3 choix au plus : vous en avez donné 4. ${options}`,
    });
    expect(parseChoice('jeunes, autre', PUBLICS, settings)).toEqual({
      ok: false,
      message: `Précisez l’autre choix, par exemple « autre : les seniors isolés ». ${options}`,
    });
  });
});

describe('parseYesNoPartial', () => {
  const cases: [string, 'oui' | 'non' | 'en_partie'][] = [
    ['oui', 'oui'],
    ['Oui !', 'oui'],
    ['OUI', 'oui'],
    ['ouiii', 'oui'],
    ['ouais', 'oui'],
    ['tout à fait', 'oui'],
    ['tout a fait', 'oui'],
    ['absolument', 'oui'],
    ['bien sûr', 'oui'],
    ['plutôt oui', 'oui'],
    ['vas-y', 'oui'],
    ['Allez-y !', 'oui'],
    ['oui, les ressources ont été mobilisées', 'oui'],
    ['non', 'non'],
    ['Non.', 'non'],
    ['nan', 'non'],
    ['pas du tout', 'non'],
    ['absolument pas', 'non'],
    ['pas vraiment', 'non'],
    ['non, faute de moyens', 'non'],
    ['en partie', 'en_partie'],
    ['En partie', 'en_partie'],
    ['partiellement', 'en_partie'],
    ['oui en partie', 'en_partie'],
    ['pas tout à fait', 'en_partie'],
    ['pas complètement', 'en_partie'],
    ['plus ou moins', 'en_partie'],
    ['oui et non', 'en_partie'],
    ['à moitié', 'en_partie'],
  ];
  it.each(cases)('%j → %s', (text, value) => {
    expect(parseYesNoPartial(text)).toMatchObject({ ok: true, value });
  });

  it('echoes in French', () => {
    expect(parseYesNoPartial('partiellement')).toEqual({ ok: true, value: 'en_partie', echo: 'en partie' });
  });

  it.each(['bof', 'je ne sais pas', ''])('refuses %j', (text) => {
    const parsed = parseYesNoPartial(text);
    expect(!parsed.ok && parsed.message).toMatch(
      /^Je n’ai pas compris « .* »\. Répondez par « oui », « non » ou « en partie »\.$/,
    );
  });
});

describe('parseYesNo', () => {
  it.each([
    ['oui', true],
    ["d'accord", true],
    ['ok', true],
    ['Non merci', false],
    ['pas du tout', false],
  ] as const)('%j → %s', (text, value) => {
    expect(parseYesNo(text)).toMatchObject({ ok: true, value });
  });

  it('refuses a partial answer and anything else', () => {
    expect(parseYesNo('en partie')).toEqual({
      ok: false,
      message: 'Il me faut un oui ou un non. Répondez par « oui » ou par « non ».',
    });
    expect(parseYesNo('peut-être')).toEqual({
      ok: false,
      message: 'Je n’ai pas compris « peut-être ». Répondez par « oui » ou par « non ».',
    });
  });
});

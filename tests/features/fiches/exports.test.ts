import { describe, expect, it } from 'vitest';
import { exampleFiche, exampleValues } from '../../../bot/documents/example-fiche.ts';
import { readDocx, tablesOf } from '../../../bot/documents/read-docx.ts';
import { draftConvention, findProgramme, programmesOf } from '../../../bot/features/fiches/exports.ts';
import { perYear } from '../../../bot/features/fiches/form.ts';
import type { Fiche, FicheStatus } from '../../../bot/features/fiches/model.ts';

const values = exampleValues();

function fiche(
  number: number,
  programme: string,
  status: FicheStatus = 'validee',
  collectiviteId = 'demoville',
): Fiche {
  const intitule = `Action ${number}`;
  return exampleFiche({
    id: `fiche-${number}`,
    number,
    status,
    programme,
    title: intitule,
    collectivite: { id: collectiviteId, name: collectiviteId === 'demoville' ? 'Démoville' : 'Autreville' },
    values: { ...values, programme, intitule },
  });
}

const FICHES = [
  fiche(5, 'Bien manger à Démoville'),
  fiche(2, 'Bien manger à Démoville'),
  fiche(3, 'bien manger a demoville', 'soumise'),
  fiche(4, 'Santé mentale des jeunes'),
  fiche(6, 'Santé mentale des jeunes', 'brouillon'),
  fiche(7, 'Prévention des chutes', 'a_revoir'),
];

describe('the programmes of a collectivité’s fiches', () => {
  it('groups fiches by programme, whatever the accents and case, validated apart', () => {
    expect(
      programmesOf(FICHES).map((entry) => ({
        programme: entry.programme,
        validated: entry.validated.map((item) => item.number),
        pending: entry.pending.map((item) => item.number),
      })),
    ).toEqual([
      { programme: 'Bien manger à Démoville', validated: [2, 5], pending: [3] },
      { programme: 'Santé mentale des jeunes', validated: [4], pending: [6] },
      { programme: 'Prévention des chutes', validated: [], pending: [7] },
    ]);
  });

  it('finds the programme named, or the only one ready, or asks', () => {
    expect(findProgramme(FICHES, 'santé mentale')).toEqual({
      ok: true,
      programme: 'Santé mentale des jeunes',
    });
    expect(findProgramme(FICHES, 'BIEN MANGER A DEMOVILLE')).toEqual({
      ok: true,
      programme: 'Bien manger à Démoville',
    });
    expect(findProgramme(FICHES)).toEqual({
      ok: false,
      message:
        'Plusieurs programmes ont des fiches validées : « Bien manger à Démoville » (2 fiches validées), « Santé mentale des jeunes » (1 fiche validée). Pour lequel dois-je rédiger la convention ?',
      choices: ['Bien manger à Démoville', 'Santé mentale des jeunes'],
    });
    expect(findProgramme(FICHES.slice(0, 3))).toEqual({ ok: true, programme: 'Bien manger à Démoville' });
    // Not validated yet: not a programme to draft.
    expect(findProgramme(FICHES, 'chutes')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Je ne trouve pas de programme « chutes »'),
    });
    expect(findProgramme([FICHES[2]!])).toMatchObject({
      ok: false,
      message: expect.stringContaining('Aucune fiche-action validée'),
      choices: [],
    });
  });
});

describe('draftConvention', () => {
  it('assembles the programme’s validated fiches only, in number order, and names the others', async () => {
    const draft = await draftConvention(FICHES, 'bien manger à démoville', { now: new Date('2027-01-15') });
    if (!draft.ok) throw new Error(draft.message);
    expect(draft.actions).toBe(2);
    expect(draft.pending.map((item) => item.number)).toEqual([3]);
    expect(draft.file.fileName).toBe('convention-partenariat-bien-manger-à-démoville.docx');
    const blocks = await readDocx(draft.file.bytes);
    const identification = tablesOf(blocks)
      .filter((rows) => rows[0]?.[0]?.[0]?.startsWith('Identification'))
      .map((rows) => rows[0]![1]![0]);
    expect(identification).toEqual([
      'Intitulé de l’action\u00a0: Action 2',
      'Intitulé de l’action\u00a0: Action 5',
    ]);
    expect(blocks).toContainEqual({
      kind: 'paragraph',
      text: 'Fiches non validées. Absentes de ce projet : n° 3 « Action 3 » (soumise).',
    });
  });

  it('says why there is nothing to draft', async () => {
    expect(await draftConvention(FICHES, 'Prévention des chutes')).toEqual({
      ok: false,
      message:
        'Le programme « Prévention des chutes » n’a encore aucune fiche-action validée : la convention rassemble les fiches validées par la coordination.',
    });
    expect(
      await draftConvention(
        [...FICHES, fiche(1, 'Bien manger à Démoville', 'validee', 'autreville')],
        'Bien manger à Démoville',
      ),
    ).toMatchObject({ ok: false, message: expect.stringContaining('une seule collectivité') });
  });
});

describe('perYear', () => {
  it('spreads an amount over whole calendar years, and counts a shorter period as one year', () => {
    expect(perYear(50_000, { periode: { debut: '2027-01-01', fin: '2028-12-31' } })).toBe(25_000);
    expect(perYear(36_000, { periode: { debut: '2027-07-01', fin: '2028-12-31' } })).toBe(24_000);
    expect(perYear(8_000, { periode: { debut: '2027-09-01', fin: '2028-06-30' } })).toBe(8_000);
    expect(perYear(8_000, {})).toBe(8_000);
    expect(perYear(30_000, { periode: { debut: '2027-03-15', fin: '2029-03-14' } })).toBeCloseTo(15_000, -1);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NewConsultation } from '../../consultations/types.ts';

/** The sample draft (six articles) and its revision (a new Điều 3, so every later article moves by one). */
export const DRAFT_V1 = { name: 'du-thao-nghi-dinh-xe-dap-dien.md', bytes: readFileSync(fileURLToPath(new URL('../../consultations/sample/du-thao-nghi-dinh-xe-dap-dien.md', import.meta.url))) };
export const DRAFT_V2 = { name: 'du-thao-nghi-dinh-xe-dap-dien-v2.md', bytes: readFileSync(fileURLToPath(new URL('../../consultations/sample/du-thao-nghi-dinh-xe-dap-dien-v2.md', import.meta.url))) };

/** A consultation open from a day before `now` to a week after. */
export function sampleConsultation(now: Date, over: Partial<NewConsultation> = {}): NewConsultation {
  return {
    slug: 'xe-dap-dien',
    title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
    summary: 'Quy định cấp phép và vận hành xe đạp điện dùng chung.',
    scope: 'Doanh nghiệp cho thuê xe, người sử dụng, cơ quan quản lý.',
    questions: ['Mức phạt tại Điều 5 có phù hợp không?'],
    asks: { name: false, organisation: true, contact: false },
    opensAt: new Date(now.getTime() - 86_400_000).toISOString(),
    closesAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    consultedCount: 40,
    officers: ['drafter@agency.gov.vn'],
    createdBy: 'admin@agency.gov.vn',
    ...over,
  };
}

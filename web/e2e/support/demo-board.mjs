// A board shaped like the demo's: the eight stages of `kariz seed --demo`, in English or Persian,
// with a few cards in most columns, for the layout, phone and keyboard tests.
import { workspaceWithPipeline } from './fixtures.mjs';

const stages = {
  en: ['Lead in', 'Contacted', 'Qualified', 'Demo scheduled', 'Proposal sent', 'Negotiation', 'Contract sent', 'Awaiting payment'],
  fa: ['سرنخ تازه', 'تماس گرفته‌شده', 'واجد شرایط', 'دموی زمان‌بندی‌شده', 'پیشنهاد فرستاده‌شده', 'مذاکره', 'قرارداد فرستاده‌شده', 'در انتظار پرداخت'],
};
const companies = {
  en: ['Pars Logistics', 'Tabriz Textiles', 'Caspian Foods', 'Zagros Mining', 'Alborz Pharma', 'Karun Energy', 'Isfahan Tiles', 'Hormoz Shipping'],
  fa: ['لجستیک پارس', 'نساجی تبریز', 'غذای کاسپین', 'معدن زاگرس', 'داروسازی البرز', 'انرژی کارون', 'کاشی اصفهان', 'کشتیرانی هرمز'],
};

/** The card titles of the demo board, column by column: two or three per stage. */
export function demoTitles(locale) {
  return stages[locale].map((_, stage) => companies[locale].slice(0, 2 + (stage % 2)).map((company) => `${stage + 1} · ${company}`));
}

/** @param {string} baseUrl @param {'en' | 'fa'} locale */
export async function demoBoard(baseUrl, locale) {
  const titles = demoTitles(locale);
  return workspaceWithPipeline(baseUrl, {
    currency: 'IRR',
    stages: stages[locale].map((name, index) => ({ name, probability: Math.min(95, 5 + index * 13), rotting_days: 14 })),
    deals: titles.flatMap((column, stage) =>
      column.map((title, index) => ({ title, stage, amount_minor: (index + 1) * 150_000_000, expected_close_date: '2027-01-10' })),
    ),
  });
}
